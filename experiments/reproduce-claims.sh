#!/usr/bin/env bash
# Issue 9: the papers' claims (a)-(f) on Fashion-MNIST, several seeds, mean and 95% interval.
#   (a) US (sandwich + inplace distillation, calibrated) vs S-Net (switchable BN) at every width
#   (b) US sandwich + inplace distillation vs random width sampling (no sandwich, labels)
#   (c) AutoSlim greedy vs the uniform width at equal MACs, in the supernet and retrained
#   (d) OWS vs greedy at equal latency (profiled table); AOWS vs OWS at one latency budget
#   (e) Joslim front vs US uniform widths at equal MACs
#   (f) multi-platform training (mixture sampler) under CRP weightings vs the plain supernet
# usage: experiments/reproduce-claims.sh OUT [SEEDS] [EPOCHS] [RETRAIN_EPOCHS]
#   SEEDS: comma list (default 1,2,3); EPOCHS of every supernet / slimmable training (default 5);
#   RETRAIN_EPOCHS of the networks retrained from scratch (default EPOCHS).
# env: DATA (default: the installed Fashion-MNIST, else sample), LIMIT (training images; default
#   20000 of the 55,000 after the 5,000-image validation hold-out), THREADS (default 2).
# Resumable: a step whose output exists is not run again, so the script can be stopped and
# restarted (e.g. across sessions); delete a step's output to redo it. Every step is an ordinary
# ./slimj command, logged with its wall time in OUT/log.txt; experiments/summarize_claims.py OUT
# writes the tables (OUT/claims.md).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:?usage: experiments/reproduce-claims.sh OUT [SEEDS] [EPOCHS] [RETRAIN_EPOCHS]}
SEEDS=${2:-1,2,3}
EPOCHS=${3:-5}
RETRAIN_EPOCHS=${4:-$EPOCHS}
if [ -z "${DATA:-}" ]; then
  if [ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || [ -d /usr/share/datasets/fashion-mnist ]; then
    DATA=/usr/share/datasets/fashion-mnist
  else
    DATA=sample
  fi
fi
LIMIT=${LIMIT:-20000}
THREADS=${THREADS:-2}
MODEL=(--model mobilenetv1 --max-width 0.5)
WIDTHS=0.125,0.25,0.375,0.5          # 0.25, 0.5, 0.75, 1.0 of the maximum (the papers' switches)
RANGE=0.125:0.5                      # US-Nets' [0.25, 1.0] of the maximum
SUPER_RANGE=0.075:0.5                # AutoSlim's supernet: 0.15 of the maximum upwards
TARGETS=0.3,0.2,0.1                  # fractions of the largest configuration's cost
AOWS_BUDGET=0.2
FINE=$(python3 -c "print(','.join('%.4f' % (0.05 + 0.0125 * i) for i in range(37)))")   # 0.05 .. 0.5
mkdir -p "$OUT"
echo "data $DATA, limit $LIMIT, seeds $SEEDS, epochs $EPOCHS, retrain $RETRAIN_EPOCHS, commit $(git rev-parse --short HEAD 2>/dev/null || echo ?)" >> "$OUT/log.txt"
log() { echo "[$(date -u +%F\ %H:%M:%S)] $*" | tee -a "$OUT/log.txt"; }
step() { # OUTPUT_FILE, ./slimj arguments... ; skipped when OUTPUT_FILE exists
  local target=$1; shift
  if [ -s "$target" ]; then return 0; fi
  log "./slimj $*"
  local s; s=$(date +%s)
  ./slimj "$@" > "$target.tmp" 2> "$target.log"
  mv "$target.tmp" "$target"
  log "  done in $(( $(date +%s) - s )) s -> $target"
}
train() { # DIR, train arguments... (output: DIR/checkpoint.safetensors, run to the last epoch)
  local dir=$1; shift
  if [ -s "$dir.done" ]; then return 0; fi
  local resume=()
  if [ -f "$dir/checkpoint.safetensors" ]; then resume=(--resume); fi
  step "$dir.done" train "${MODEL[@]}" --data "$DATA" --limit-train "$LIMIT" --batch 128 --lr 0.1 --threads "$THREADS" \
    --no-progress --out "$dir" "$@" "${resume[@]}"
}
t0=$(date +%s)

# One latency platform for every seed: Vector API, 1 thread, batch 1, thread CPU time.
T=$OUT/vector-1t.json
if [ ! -s "$T" ]; then
  step "$OUT/profile.out" profile "${MODEL[@]}" --backend vector --threads 1 --batch 1 --grid 4 --clock thread-cpu \
    --platform vector-1t --out "$T"
fi
step "$OUT/profile-validate.json" profile validate --table "$T" "${MODEL[@]}" --configs 20 --seed 1 --json
for w in $(echo "$FINE" | tr ',' ' '); do
  [ -s "$OUT/info-$w.json" ] || ./slimj info "${MODEL[@]}" --width "$w" --latency-table "$T" --json > "$OUT/info-$w.json"
done

IFS=',' read -ra SEED_LIST <<< "$SEEDS"
IFS=',' read -ra TARGET_LIST <<< "$TARGETS"
for S in "${SEED_LIST[@]}"; do
  D=$OUT/seed$S
  mkdir -p "$D"
  E=(--epochs "$EPOCHS" --seed "$S")
  # (a), (b): width-list and width-range networks
  train "$D/us" --mode us --widths "$WIDTHS" --width-range "$RANGE" "${E[@]}"
  train "$D/sbn" --mode sbn --widths "$WIDTHS" "${E[@]}"
  train "$D/us-random" --mode us --widths "$WIDTHS" --width-range "$RANGE" --no-sandwich "${E[@]}"
  step "$D/eval-us.json" eval --checkpoint "$D/us/checkpoint.safetensors" --widths "$FINE" --calibrate-batches 16 --json
  step "$D/eval-us-uncalibrated.json" eval --checkpoint "$D/us/checkpoint.safetensors" --widths "$WIDTHS" --calibrate-batches 0 --json
  step "$D/eval-sbn.json" eval --checkpoint "$D/sbn/checkpoint.safetensors" --widths "$WIDTHS" --calibrate-batches 0 --json
  step "$D/eval-us-random.json" eval --checkpoint "$D/us-random/checkpoint.safetensors" --widths "$WIDTHS" --calibrate-batches 16 --json

  # (c), (d): nonuniform supernet with OWS credits; greedy and OWS under MACs and latency
  SUPER=$D/supernet/checkpoint.safetensors
  train "$D/supernet" --mode ows --widths 0.5 --width-range "$SUPER_RANGE" "${E[@]}"
  step "$D/greedy.json" search greedy --checkpoint "$SUPER" --cost macs --targets "$TARGETS" --also-cost "latency:$T" \
    --batch 1000 --seed "$S" --out "$D/greedy-result.json" --json
  step "$D/greedy-lat.json" search greedy --checkpoint "$SUPER" --cost "latency:$T" --targets "$TARGETS" --batch 1000 \
    --seed "$S" --out "$D/greedy-lat-result.json" --json
  step "$D/ows-macs.json" search ows --checkpoint "$SUPER" --cost macs --budgets "$TARGETS" --json
  step "$D/ows-lat.json" search ows --checkpoint "$SUPER" --cost "latency:$T" --budgets "$TARGETS" --json
  step "$D/eval-super-uniform.json" eval --checkpoint "$SUPER" --widths "$FINE" --calibrate-batches 16 --json
  for r in greedy greedy-lat ows-macs ows-lat; do
    step "$D/eval-super-$r.json" eval --checkpoint "$SUPER" --results "$D/$r.json" --calibrate-batches 16 --json
  done
  # AOWS: sampling concentrated near one latency budget, then the same OWS search
  train "$D/aows" --mode aows --cost "latency:$T" --budget "$AOWS_BUDGET" --widths 0.5 --width-range "$SUPER_RANGE" "${E[@]}"
  step "$D/aows-lat.json" search ows --checkpoint "$D/aows/checkpoint.safetensors" --cost "latency:$T" --budgets "$AOWS_BUDGET" --json
  step "$D/eval-aows-lat.json" eval --checkpoint "$D/aows/checkpoint.safetensors" --results "$D/aows-lat.json" --calibrate-batches 16 --json
  # (c) retrained from scratch: greedy's configuration and the widest uniform width of at most its MACs
  for t in "${TARGET_LIST[@]}"; do
    train "$D/retrain-greedy-$t" --mode single --widths 0.5 --config "$D/greedy.json#macs<=${t}x" --epochs "$RETRAIN_EPOCHS" --seed "$S"
    step "$D/eval-retrain-greedy-$t.json" eval --checkpoint "$D/retrain-greedy-$t/checkpoint.safetensors" --calibrate-batches 0 --json
    W=$(python3 experiments/summarize_claims.py uniform-width "$OUT" macs "$t")
    train "$D/retrain-uniform-$t" --mode single --widths 0.5 --width "$W" --epochs "$RETRAIN_EPOCHS" --seed "$S"
    step "$D/eval-retrain-uniform-$t.json" eval --checkpoint "$D/retrain-uniform-$t/checkpoint.safetensors" --calibrate-batches 0 --json
  done

  # (e) Joslim: widths proposed during training; its front on the validation split, test accuracy reported
  train "$D/joslim" --mode joslim --widths 0.5 "${E[@]}"
  step "$D/joslim-front.json" search joslim-front --checkpoint "$D/joslim/checkpoint.safetensors" --out "$D/joslim-front-result.json" \
    --calibrate-batches 16 --report-test --json

  # (f) one network for two platforms (vector-1t latency at 25%, MACs at 15%), shares from a CRP
  PLAT=(--platform "lat=latency:$T@25%" --platform "macs=macs@15%")
  for a in 0.1 1 10; do
    train "$D/mp-crp$a" --mode multiplatform --sampler mixture "${PLAT[@]}" --crp-alpha "$a" --crp-seed "$S" --widths 0.5 \
      --width-range "$SUPER_RANGE" "${E[@]}"
    for net in supernet "mp-crp$a"; do
      step "$D/mpsearch-$net-crp$a.json" search multiplatform --checkpoint "$D/$net/checkpoint.safetensors" "${PLAT[@]}" \
        --crp-alpha "$a" --crp-seed "$S" --calibrate-batches 16 --json
      step "$D/eval-mpsearch-$net-crp$a.json" eval --checkpoint "$D/$net/checkpoint.safetensors" --results "$D/mpsearch-$net-crp$a.json" \
        --calibrate-batches 16 --json
    done
  done
done
log "all steps done; this invocation took $(( $(date +%s) - t0 )) s"
python3 experiments/summarize_claims.py summary "$OUT" > "$OUT/claims.md"
log "tables: $OUT/claims.md"
