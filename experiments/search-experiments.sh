#!/usr/bin/env bash
# Issue 5 experiments on Fashion-MNIST (small budget; see docs/EXPERIMENTS.md):
#   1. searched configurations (AutoSlim greedy, OWS) against the uniform width multiplier at equal
#      MACs and at equal latency (vector-1t platform), in the supernet and after retraining from scratch
#   2. OWS against greedy at equal latency
#   3. one network for several platforms: multi-platform training (AOWS mixture sampler) against the
#      plain nonuniform supernet, share-weighted validation accuracy for CRP weightings alpha 0.1, 1, 10
# usage: experiments/search-experiments.sh [OUT_DIR] [SUPERNET_EPOCHS] [RETRAIN_EPOCHS] [SEED]
# DATA=sample|DIR (default sample), LIMIT=N training images (default: all of DATA's training split).
# Everything runs through ./slimj; experiments/summarize_search.py writes OUT_DIR/summary.md.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-runs/exp-search}
SUPER_EPOCHS=${2:-8}
RETRAIN_EPOCHS=${3:-8}
SEED=${4:-1}
DATA=${DATA:-sample}
MODEL=(--model mobilenetv1 --max-width 0.5)
LIMIT_ARGS=()
if [ -n "${LIMIT:-}" ]; then LIMIT_ARGS=(--limit-train "$LIMIT"); fi
COMMON=(--batch 128 --lr 0.1 --seed "$SEED" --threads 2 --no-progress --data "$DATA" "${LIMIT_ARGS[@]}")
TARGETS=0.5,0.3
mkdir -p "$OUT"
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$OUT/log.txt"; }
run() { # name, command... (stdout to OUT/name.out, stderr to OUT/name.log)
  local name=$1; shift
  log "$name: ./slimj $*"
  local s=$(date +%s)
  ./slimj "$@" > "$OUT/$name.out" 2> "$OUT/$name.log"
  log "  done in $(( $(date +%s) - s )) s"
}
t0=$(date +%s)
SUPER=$OUT/supernet/checkpoint.safetensors
T1=$OUT/vector-1t.json
T2=$OUT/vector-2t.json

# supernet (uniform nonuniform sampling + OWS credits) and the platforms
run supernet train "${MODEL[@]}" "${COMMON[@]}" --mode ows --width-range 0.075:0.5 --widths 0.5 --epochs "$SUPER_EPOCHS" --out "$OUT/supernet"
run profile-v1 profile "${MODEL[@]}" --backend vector --threads 1 --batch 1 --grid 4 --platform vector-1t --out "$T1"
run validate-v1 profile validate --table "$T1" "${MODEL[@]}" --configs 20 --seed "$SEED" --json
run profile-v2 profile "${MODEL[@]}" --backend vector --threads 2 --batch 1 --grid 4 --platform vector-2t --out "$T2"
run validate-v2 profile validate --table "$T2" "${MODEL[@]}" --configs 20 --seed "$SEED" --json

# searches on the supernet (validation split only)
run greedy search greedy --checkpoint "$SUPER" --cost macs --targets "$TARGETS" --also-cost "latency:$T1" --batch 1000 --seed "$SEED" --out "$OUT/greedy.json"
run ows-macs search ows --checkpoint "$SUPER" --cost macs --budgets "$TARGETS" --out "$OUT/ows-macs.json"
run ows-lat search ows --checkpoint "$SUPER" --cost "latency:$T1" --budgets "$TARGETS" --out "$OUT/ows-lat.json"

# uniform widths: MACs and predicted latency of each, to match the searched budgets
for w in $(seq 0.050 0.025 0.500); do
  ./slimj info "${MODEL[@]}" --width "$w" --latency-table "$T1" --json > "$OUT/info-$w.json" 2>/dev/null
done
python3 experiments/summarize_search.py uniform-widths "$OUT" "$TARGETS" > "$OUT/uniform-widths.txt"
UNIFORM_ALL=$(python3 -c "import sys; print(','.join('%.3f' % (0.05 + 0.025 * i) for i in range(19)))")

# the supernet's own accuracy (test set, BN calibrated per configuration)
run eval-super-uniform eval --checkpoint "$SUPER" --json --widths "$UNIFORM_ALL"
for s in greedy ows-macs ows-lat; do
  run "eval-super-$s" eval --checkpoint "$SUPER" --json --results "$OUT/$s.json"
done

# retraining from scratch: each searched configuration and the uniform width of equal (at most) cost
retrain() { # name, config args...
  local name=$1; shift
  run "retrain-$name" train "${MODEL[@]}" "${COMMON[@]}" --mode single "$@" --widths 0.5 --epochs "$RETRAIN_EPOCHS" --out "$OUT/retrain-$name"
  run "eval-retrain-$name" eval --checkpoint "$OUT/retrain-$name/checkpoint.safetensors" --json --calibrate-batches 0
}
IFS=',' read -ra TS <<< "$TARGETS"
for t in "${TS[@]}"; do
  retrain "greedy-macs-$t" --config "$OUT/greedy.json#macs<=${t}x"
  retrain "ows-macs-$t" --config "$OUT/ows-macs.json#macs<=${t}x"
  retrain "uniform-macs-$t" --width "$(grep "^macs $t " "$OUT/uniform-widths.txt" | cut -d' ' -f3)"
  retrain "greedy-lat-$t" --config "$OUT/greedy.json#latency:vector-1t<=${t}x"
  retrain "ows-lat-$t" --config "$OUT/ows-lat.json#latency:vector-1t<=${t}x"
  retrain "uniform-lat-$t" --width "$(grep "^latency $t " "$OUT/uniform-widths.txt" | cut -d' ' -f3)"
done

# one network for several platforms
PLAT=(--platform "v1=latency:$T1@40%" --platform "v2=latency:$T2@25%")
run multiplatform train "${MODEL[@]}" "${COMMON[@]}" --mode multiplatform --sampler mixture "${PLAT[@]}" --width-range 0.075:0.5 --widths 0.5 --epochs "$SUPER_EPOCHS" --out "$OUT/multiplatform"
for a in 0.1 1 10; do
  for net in supernet multiplatform; do
    run "mp-$net-crp$a" search multiplatform --checkpoint "$OUT/$net/checkpoint.safetensors" "${PLAT[@]}" --crp-alpha "$a" --crp-seed "$SEED" --out "$OUT/mp-$net-crp$a.json"
  done
done

log "total $(( $(date +%s) - t0 )) s"
python3 experiments/summarize_search.py summary "$OUT" "$TARGETS" > "$OUT/summary.md"
log "summary: $OUT/summary.md"
