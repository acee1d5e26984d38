#!/usr/bin/env bash
# Issue 3 experiments on Fashion-MNIST (reduced budget, see docs/EXPERIMENTS.md):
#   1. S-BN vs naive shared BN vs individually trained networks at widths 0.25..1.0
#   2. US with and without BN calibration
#   3. US: sandwich rule + inplace distillation vs plain random width sampling
# usage: experiments/bn-and-sampling.sh [OUT_DIR] [EPOCHS] [SEED]
# Everything runs through ./slimj; results are eval --json files under OUT_DIR, summarised by
# experiments/summarize.py into OUT_DIR/summary.md.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-runs/exp-bn}
EPOCHS=${2:-5}
SEED=${3:-1}
MODEL=(--model smallcnn --max-width 1.0)
COMMON=(--epochs "$EPOCHS" --batch 128 --lr 0.1 --seed "$SEED" --threads 2 --no-progress)
WIDTHS=0.25,0.5,0.75,1.0
mkdir -p "$OUT"
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$OUT/log.txt"; }
t0=$(date +%s)

train() { # name, args...
  local name=$1; shift
  log "train $name: $*"
  local s=$(date +%s)
  ./slimj train "${MODEL[@]}" "${COMMON[@]}" --out "$OUT/$name" "$@" > "$OUT/$name.train.log" 2>&1
  log "  done in $(( $(date +%s) - s )) s"
}
evaljson() { # name, file, args...
  local name=$1 file=$2; shift 2
  ./slimj eval --checkpoint "$OUT/$name/checkpoint.safetensors" --json "$@" > "$OUT/$file" 2> "$OUT/$file.err"
}

train sbn --mode sbn --widths $WIDTHS
evaljson sbn sbn.json --widths $WIDTHS
train naive --mode naive --widths $WIDTHS
evaljson naive naive.json --widths $WIDTHS --calibrate-batches 0
for w in 0.25 0.5 0.75 1.0; do
  train single-$w --mode single --width $w --widths $w
  evaljson single-$w single-$w.json --widths $w --calibrate-batches 0
done
train us --mode us --width-range 0.25:1.0 --widths $WIDTHS
evaljson us us-calibrated.json --widths $WIDTHS --calibrate-batches 16
evaljson us us-uncalibrated.json --widths $WIDTHS --calibrate-batches 0
train us-random --mode us --width-range 0.25:1.0 --widths $WIDTHS --no-sandwich --samples 4
evaljson us-random us-random.json --widths $WIDTHS --calibrate-batches 16
train us-nodistill --mode us --width-range 0.25:1.0 --widths $WIDTHS --no-distill
evaljson us-nodistill us-nodistill.json --widths $WIDTHS --calibrate-batches 16
log "all done in $(( $(date +%s) - t0 )) s"
/usr/bin/python3 experiments/summarize.py "$OUT" > "$OUT/summary.md"
cat "$OUT/summary.md"
