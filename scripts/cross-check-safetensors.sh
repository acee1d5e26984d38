#!/usr/bin/env bash
# Cross-checks slimj's safetensors writer and reader against an independent Python parser
# (scripts/check-safetensors.py: json + struct, plus torch.frombuffer when torch imports).
#   1. Java writes a sample file; Python reads it; their printouts must be identical.
#   2. If the Python `safetensors` package imports, it also loads that file, and it writes a file
#      (F32, F16, BF16, F64, I64, BOOL, metadata) that the Java reader must print identically.
# Usage: scripts/cross-check-safetensors.sh [PYTHON]   (default /usr/bin/python3)
# Not part of the test suite: Python is not a build dependency.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${1:-/usr/bin/python3}"

JAVA=""
for d in ${JAVA_HOME:-} /usr/lib/jvm/*; do
  if [ -x "$d/bin/java" ] && "$d/bin/java" -version 2>&1 | grep -Eq 'version "(2[5-9]|[3-9][0-9])'; then
    JAVA="$d/bin/java"; break
  fi
done
[ -n "$JAVA" ] || { echo "no JDK 25+ found (JAVA_HOME or /usr/lib/jvm/*)" >&2; exit 2; }

(cd "$ROOT" && mvn -B -q -Dstyle.color=never -pl engine test-compile)
CP="$ROOT/engine/target/classes:$ROOT/engine/target/test-classes"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo "== Java writes, Python reads"
"$JAVA" -cp "$CP" org.slimj.engine.io.CrossCheckMain write "$TMP/sample.safetensors" > "$TMP/java.txt"
"$PY" "$ROOT/scripts/check-safetensors.py" "$TMP/sample.safetensors" --verify > "$TMP/py.txt"
grep -v '^#' "$TMP/py.txt" | diff "$TMP/java.txt" -
cat "$TMP/py.txt"
echo "identical: $(wc -l < "$TMP/java.txt") lines"

if "$PY" -c 'import safetensors, torch' 2>/dev/null; then
  echo "== Python safetensors writes, Java reads"
  "$PY" - "$TMP/ref.safetensors" <<'EOF'
import sys, torch
from safetensors.torch import save_file
g = torch.Generator().manual_seed(1234)
save_file({
    "stem.conv.weight": torch.randn(4, 3, 3, 3, generator=g),
    "half": torch.randn(5, 7, generator=g).half(),
    "bhalf": torch.randn(6, generator=g).bfloat16(),
    "double": torch.randn(2, 3, generator=g).double(),
    "step": torch.tensor(12345, dtype=torch.int64),
    "empty": torch.zeros(3, 0),
    "flags": torch.tensor([True, False, True]),
}, sys.argv[1], metadata={"a \"q\"": "b\\c\n", "\u00fc": "\u2713"})
EOF
  "$JAVA" -cp "$CP" org.slimj.engine.io.CrossCheckMain print "$TMP/ref.safetensors" > "$TMP/java2.txt"
  "$PY" "$ROOT/scripts/check-safetensors.py" "$TMP/ref.safetensors" --verify > "$TMP/py2.txt"
  grep -v '^#' "$TMP/py2.txt" | diff "$TMP/java2.txt" -
  cat "$TMP/py2.txt"
  echo "identical: $(wc -l < "$TMP/java2.txt") lines"
else
  echo "== Python safetensors package not importable with $PY: reverse direction skipped"
fi
