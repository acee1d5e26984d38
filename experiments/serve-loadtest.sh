#!/usr/bin/env bash
# Issue 11 load test: a bursty open-loop trace (5x rate spikes) against ./slimj serve on 127.0.0.1,
# three servers over the same network and front: the slack-fit width controller, the fixed widest
# configuration and the fixed narrowest one. Reports objective attainment, mean accuracy served and
# throughput (OUT/summary.md). All traffic goes to 127.0.0.1; every run is bounded in time.
# usage: experiments/serve-loadtest.sh [OUT_DIR] [EPOCHS] [SLO_MS] [SECONDS]
# RATE=R base requests/s (default: half of what the widest configuration serves in batches, measured)
# CHECKPOINT=FILE reuse a trained supernet instead of training one.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-runs/serve-loadtest}
EPOCHS=${2:-8}
SLO=${3:-20}
SECONDS_=${4:-30}
SEED=1
MODEL=(--model mobilenetv1 --max-width 1.0)
mkdir -p "$OUT"
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$OUT/log.txt"; }
run() { # name, command... (stdout to OUT/name.out, stderr to OUT/name.log)
  local name=$1; shift
  log "$name: ./slimj $*"
  local s=$(date +%s)
  ./slimj "$@" > "$OUT/$name.out" 2> "$OUT/$name.log"
  log "  done in $(( $(date +%s) - s )) s"
}
./slimj build
CKPT=${CHECKPOINT:-$OUT/supernet/checkpoint.safetensors}
if [ ! -f "$CKPT" ]; then
  run supernet train "${MODEL[@]}" --mode nonuniform --width-range 0.1:1.0 --data sample --epochs "$EPOCHS" \
    --batch 128 --lr 0.1 --seed "$SEED" --threads 2 --no-progress --out "$OUT/supernet"
fi
TABLE=$OUT/serve-1t.json
[ -f "$TABLE" ] || run profile profile "${MODEL[@]}" --backend native --threads 1 --batch 1 --grid 4 \
  --platform serve-1t --seed "$SEED" --out "$TABLE"
FRONT=$OUT/front.json
[ -f "$FRONT" ] || run greedy search greedy --checkpoint "$CKPT" --cost "latency:$TABLE" \
  --targets 1.0,0.8,0.6,0.5,0.4,0.3,0.25,0.2,0.15,0.1 --batch 400 --seed "$SEED" --data sample \
  --threads 2 --no-progress --out "$FRONT"

serve() { # name, extra serve options...; starts the server in the background, sets PID and PORT
  local name=$1; shift
  rm -f "$OUT/$name.port"
  log "serve $name: ./slimj serve --checkpoint $CKPT --front $FRONT --slo-ms $SLO $*"
  ./slimj serve --checkpoint "$CKPT" --front "$FRONT" --slo-ms "$SLO" --backend native --threads 1 --port 0 \
    --port-file "$OUT/$name.port" --max-seconds $(( SECONDS_ + 300 )) --data sample "$@" \
    > "$OUT/serve-$name.out" 2> "$OUT/serve-$name.log" &
  PID=$!
  for _ in $(seq 1 600); do
    [ -f "$OUT/$name.port" ] && break
    kill -0 "$PID" 2>/dev/null || { log "serve $name ended early:"; cat "$OUT/serve-$name.log" >&2; exit 1; }
    sleep 0.5
  done
  PORT=$(cat "$OUT/$name.port")
}
stop() { kill -TERM "$PID"; wait "$PID" || true; }

if [ -z "${RATE:-}" ]; then
  # half of what the widest configuration serves at the largest batch (its warm-up measurement)
  serve probe --fixed widest
  stop
  RATE=$(python3 - "$OUT/serve-probe.log" <<'PY'
import re, sys
m = [l for l in open(sys.argv[1]) if l.startswith("serve: ") and "predicted batch 1" in l][-1]
b, ms = re.search(r"batch (\d+) ([0-9.]+) ms\s*$", m).groups()
print(round(0.5 * int(b) / (float(ms) / 1000), 1))
PY
)
fi
log "base rate $RATE requests/s, spikes 5x for 1 s of every 5 s, $SECONDS_ s, objective $SLO ms"
for name in controlled widest narrowest; do
  case $name in
    controlled) serve "$name" ;;
    *) serve "$name" --fixed "$name" ;;
  esac
  log "load average before $name: $(cut -d' ' -f1-3 /proc/loadavg)"
  run "load-$name" loadtest --url "http://127.0.0.1:$PORT" --rate "$RATE" --spike-factor 5 --period 5 \
    --spike-seconds 1 --seconds "$SECONDS_" --slo-ms "$SLO" --seed "$SEED" --data sample --out "$OUT/load-$name.json"
  stop
done
python3 - "$OUT" "$RATE" "$SLO" <<'PY' | tee "$OUT/summary.md"
import json, sys
out, rate, slo = sys.argv[1], sys.argv[2], sys.argv[3]
print(f"base rate {rate}/s, 5x spikes (1 s of every 5 s), objective {slo} ms\n")
print("| server | requests | SLO attainment (all / in spikes) | p99 ms | mean front accuracy | measured top-1 | throughput/s | 503s |")
print("|---|---|---|---|---|---|---|---|")
for name in ["controlled", "widest", "narrowest"]:
    d = json.load(open(f"{out}/load-{name}.json"))
    a, s = d["all"], d["spikes"]
    f = lambda x, k=1: "-" if x is None else f"{x:.{k}f}"
    print(f"| {name} | {a['requests']} | {100*a['slo_attainment']:.2f}% / {100*s['slo_attainment']:.2f}% | {f(a['p99_ms'])} | "
          f"{f(a['mean_front_accuracy'] and 100*a['mean_front_accuracy'], 2)}% | {f(a['top1_measured'] and 100*a['top1_measured'], 2)}% | "
          f"{f(a['throughput_per_s'])} | {a['refused_503']} |")
PY
