#!/usr/bin/env bash
# slimj vs PyTorch, side by side, in one run on this machine. Writes ratio tables as Markdown to OUT.md
# and the raw results to OUT-raw/ beside it.
#   bench/compare-pytorch.sh OUT.md            the real comparison (tens of minutes; wants a quiet machine)
#   QUICK=1 bench/compare-pytorch.sh OUT.md    a cheap check of the pipeline (not a measurement)
# Environment: BACKEND (slimj's backend: auto (default), native, vector or scalar; issue 10 wants tables for
#   native and vector), THREADS (default "1 2"), PEAK_ARGS (peak.c's "reps maxwait", default "7 10"),
#   TORCH_T1_JSON / TORCH_T2_JSON (reuse earlier bench_torch.py --out files instead of running PyTorch),
#   SLIMJ_SHARED_PERF (default ../shared/perf beside the repository).
# Runs: (a) ../shared/perf/peak.c (AVX2 FMA peak, triad), and bench/perf/peak512.c where the CPU has AVX-512;
# (b) ./slimj bench layers|train|infer --json per thread count; (c) ../shared/perf/torch.sh T --sections
# layers,slim,mbv2. Needs gcc, Debian's python3-torch and libopenblas0-pthread.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="${SLIMJ_SHARED_PERF:-$ROOT/../shared/perf}"
PY=/usr/bin/python3
QUICK="${QUICK:-0}"
THREADS="${THREADS:-1 2}"
BACKEND="${BACKEND:-auto}"
PEAK_ARGS="${PEAK_ARGS:-7 10}"

if [ $# -ne 1 ]; then
  echo "usage: [QUICK=1] $0 OUT.md   (writes the ratio tables to OUT.md and raw results to OUT-raw/)" >&2
  exit 2
fi
OUT="$1"
RAW="${OUT%.md}-raw"
mkdir -p "$RAW" "$(dirname "$OUT")"
RAW="$(cd "$RAW" && pwd)"
say() { echo "compare-pytorch: $*" >&2; }

# ---- checks
[ -f "$SHARED/peak.c" ] && [ -f "$SHARED/torch.sh" ] || { say "no peak.c / torch.sh in $SHARED (set SLIMJ_SHARED_PERF)"; exit 2; }
command -v gcc >/dev/null || { say "gcc is needed for the peak programs (apt-get install -y gcc)"; exit 2; }
[ -x "$PY" ] || { say "$PY is needed (Debian's python3, which python3-torch installs into)"; exit 2; }
needs_torch=0
for t in $THREADS; do v="TORCH_T${t}_JSON"; [ -n "${!v:-}" ] || needs_torch=1; done
if [ "$needs_torch" = 1 ]; then
  if "$PY" -c 'import torch' 2>/dev/null; then
    say "python3-torch: installed ($("$PY" -c 'import torch; print(torch.__version__)'))"
  else
    say "python3-torch is missing: apt-get install -y python3-torch libopenblas0-pthread"; exit 3
  fi
  if [ -e /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 ]; then
    say "libopenblas0-pthread: installed"
  else
    say "libopenblas0-pthread is missing (PyTorch would use the slow reference BLAS): apt-get install -y libopenblas0-pthread"
    exit 3
  fi
fi
AVX512=0
if grep -qw avx512f /proc/cpuinfo; then
  AVX512=1
  say "this machine has AVX-512 ($(grep -o -w 'avx512[a-z_0-9]*' /proc/cpuinfo | sort -u | tr '\n' ' ')):" \
      "peak.c measures AVX2 FMA only, so bench/perf/peak512.c measures the AVX-512 peak too"
fi
if [ "$QUICK" = 1 ]; then
  say "QUICK mode: one repetition, small training batch, PyTorch layers only without waiting for quiet: NOT a measurement"
  PEAK_ARGS="1 1"
  LAYERS_ARGS=(--reps 1 --min-rep-seconds 0.02)
  TRAIN_ARGS=(--batch 8 --warmup 0 --reps 1)
  INFER_ARGS=(--warmup 1 --reps 1 --min-rep-seconds 0.02)
  PEAK512_REPS=1
else
  LAYERS_ARGS=()
  TRAIN_ARGS=(--batch 64)
  INFER_ARGS=()
  PEAK512_REPS=7
fi

# ---- build slimj first, so no timing includes it
"$ROOT/slimj" build

# ---- machine and run description
{
  echo "date (UTC): $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) processors"
  echo "avx512: $([ "$AVX512" = 1 ] && echo "yes: $(grep -o -w 'avx512[a-z_0-9]*' /proc/cpuinfo | sort -u | tr '\n' ' ')" || echo no)"
  echo "jdk: $(SLIMJ_JAVA_OPTS=-XshowSettings:properties "$ROOT/slimj" --version 2>&1 | sed -n 's/^ *java.runtime.version = //p' | head -n1)"
  echo "gcc: $(gcc -dumpfullversion)"
  echo "slimj backend asked for: $BACKEND"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "quick: $QUICK; threads: $THREADS"
} > "$RAW/meta.txt"

# ---- (a) peak programs
gcc -O3 -mavx2 -mfma -fopenmp "$SHARED/peak.c" -o "$RAW/peak"
say "peak.c (AVX2/FMA) $PEAK_ARGS"
# shellcheck disable=SC2086
"$RAW/peak" $PEAK_ARGS | tee "$RAW/peak.txt"
if [ "$AVX512" = 1 ]; then
  gcc -O3 -mavx512f -mfma -fopenmp "$ROOT/bench/perf/peak512.c" -o "$RAW/peak512"
  "$RAW/peak512" "$PEAK512_REPS" | grep -v '^sink' | tee "$RAW/peak512.txt"
  echo "(this machine has AVX-512; peak.c above measures AVX2 FMA only)" | tee -a "$RAW/peak.txt"
fi

quick_torch() { # THREADS OUT: bench_torch.py's layers with one repetition and no waiting for a quiet machine
  MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=68719476736 MALLOC_TOP_PAD_=268435456 OMP_NUM_THREADS="$1" \
  OPENBLAS_NUM_THREADS=1 "$PY" - "$SHARED" "$1" "$2" <<'PYEOF'
import sys
sys.path.insert(0, sys.argv[1])
import bench_torch
bench_torch.wait_quiet = lambda *a, **k: 0.0  # QUICK: do not wait for a quiet machine
bench_torch.FOREIGN_REDO = float("inf")       # QUICK: do not re-measure under load
sys.argv = ["bench_torch.py", "--threads", sys.argv[2], "--sections", "layers", "--reps", "1", "--out", sys.argv[3]]
bench_torch.main()
PYEOF
}

# ---- (b) slimj and (c) PyTorch, per thread count, back to back
for t in $THREADS; do
  say "slimj, $t thread(s)"
  "$ROOT/slimj" bench layers --json --backend "$BACKEND" --threads "$t" "${LAYERS_ARGS[@]}" > "$RAW/slimj_layers_t$t.json" 2> "$RAW/slimj_layers_t$t.err"
  "$ROOT/slimj" bench train --model mobilenetv2 --mode us --input 32 --widths 1.0,0.25,0.75,0.5 --backend "$BACKEND" --threads "$t" \
    "${TRAIN_ARGS[@]}" --json > "$RAW/slimj_train_t$t.json" 2> "$RAW/slimj_train_t$t.err"
  "$ROOT/slimj" bench infer --model mobilenetv2 --input 32 --widths 0.35,0.5,0.75,1.0 --batch 1 --backend "$BACKEND" --threads "$t" \
    "${INFER_ARGS[@]}" --json > "$RAW/slimj_infer_t$t.json" 2> "$RAW/slimj_infer_t$t.err"
  grep -h '^slimj: backend' "$RAW/slimj_layers_t$t.err" | head -n1 | sed "s/^slimj: /slimj $t thread(s): /" >> "$RAW/meta.txt"
  v="TORCH_T${t}_JSON"
  if [ -n "${!v:-}" ]; then
    say "PyTorch, $t thread(s): reusing ${!v}"
    cp "${!v}" "$RAW/torch_t$t.json"
  elif [ "$QUICK" = 1 ]; then
    say "PyTorch, $t thread(s), QUICK"
    quick_torch "$t" "$RAW/torch_t$t.json" > "$RAW/torch_t$t.log"
  else
    say "PyTorch, $t thread(s)"
    "$SHARED/torch.sh" "$t" --sections layers,slim,mbv2 --out "$RAW/torch_t$t.json" | tee "$RAW/torch_t$t.log"
  fi
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RAW/meta.txt"
"$PY" -c 'import json,sys; print("torch:", json.load(open(sys.argv[1]))["torch"])' "$RAW/torch_t${THREADS%% *}.json" >> "$RAW/meta.txt"

# ---- ratio tables
"$PY" "$ROOT/bench/perf/compare_report.py" --raw "$RAW" --out "$OUT" --threads "$(echo $THREADS | tr ' ' ',')" --quick "$QUICK"
say "wrote $OUT (raw results in $RAW)"
