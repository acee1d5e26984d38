#!/usr/bin/env bash
# Starts N data-parallel workers of `./slimj train` on this machine (ranks 0..N-1 on loopback ports
# BASE_PORT.. , default 5701), waits for all, and fails if any worker failed. Every worker gets the
# same arguments; rank 0 writes --out. Worker R's output goes to LOGDIR/worker-R.log (default: the
# current directory).
# usage: scripts/train-local-workers.sh N [train arguments...]
#   e.g. scripts/train-local-workers.sh 2 --model smallcnn --mode us --data sample --epochs 1 --out runs/dp2
# env: BASE_PORT (5701), LOGDIR (.), THREADS per worker (1)
set -euo pipefail
N=${1:?usage: scripts/train-local-workers.sh N [train arguments...]}
shift
case "$N" in ''|*[!0-9]*) echo "train-local-workers: N must be a positive whole number, found '$N'" >&2; exit 2 ;; esac
if [ "$N" -lt 1 ]; then echo "train-local-workers: N must be at least 1, found $N" >&2; exit 2; fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASE_PORT=${BASE_PORT:-5701}
LOGDIR=${LOGDIR:-.}
THREADS=${THREADS:-1}
mkdir -p "$LOGDIR"
"$ROOT/slimj" --help > /dev/null   # builds if needed, once, so that the workers do not rebuild at the same time
if [ "$N" -eq 1 ]; then
  exec "$ROOT/slimj" train --threads "$THREADS" "$@"
fi
WORKERS=$(for ((r = 0; r < N; r++)); do printf '%s127.0.0.1:%d' "$([ $r -gt 0 ] && echo ,)" $((BASE_PORT + r)); done)
PIDS=()
for ((r = 0; r < N; r++)); do
  "$ROOT/slimj" train --threads "$THREADS" --workers "$WORKERS" --rank "$r" "$@" > "$LOGDIR/worker-$r.log" 2>&1 &
  PIDS+=($!)
done
trap 'kill "${PIDS[@]}" 2>/dev/null || true' INT TERM
STATUS=0
for ((r = 0; r < N; r++)); do
  if ! wait "${PIDS[$r]}"; then
    echo "train-local-workers: worker $r failed; its output: $LOGDIR/worker-$r.log" >&2
    tail -3 "$LOGDIR/worker-$r.log" >&2
    STATUS=1
  fi
done
exit $STATUS
