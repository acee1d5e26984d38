#!/usr/bin/env bash
# Fuzzes every file loader (checkpoints, IDX, latency tables, configurations, model.json) with the
# seeded mutation loop of cli/src/test/java/org/slimj/cli/fuzz, longer than the 20 s of ./slimj test.
#   scripts/fuzz.sh [SECONDS] [SEED]      defaults: 600 s, a seed from the clock (printed)
# Findings (inputs that make a loader fail other than by a clean, file-naming rejection) are saved
# under cli/target/fuzz-findings/ with the seed and round in their names; the run fails if any.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_TOTAL="${1:-600}"
SEED="${2:-$(date +%s)}"
echo "fuzz: ${SECONDS_TOTAL} s, seed ${SEED}" >&2
cd "$ROOT"
exec ./slimj test -pl cli -am -Dtest=FuzzLoadersTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dslimj.fuzz.seconds="$SECONDS_TOTAL" -Dslimj.fuzz.seed="$SEED"
