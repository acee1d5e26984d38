#!/usr/bin/env bash
# Cross-compiles the NEON kernels with the portable drivers and the C test driver for AArch64 and
# runs it under qemu: every NEON primitive (sgemm 8x12 micro-kernel, depthwise correlate / dot, via
# sgemm, conv forward and depthwise forward / backward) against plain-C reference loops on odd
# shapes. There is no AArch64 JVM here, so the Java side of the NEON path is not run.
#   kernels-native/scripts/test-neon.sh
# Needs: aarch64-linux-gnu-gcc (Debian: gcc-aarch64-linux-gnu) and qemu-aarch64 or
# qemu-aarch64-static (Debian: qemu-user or qemu-user-static). Installs nothing itself.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

CC=aarch64-linux-gnu-gcc
QEMU=""
for q in qemu-aarch64 qemu-aarch64-static; do
  if command -v "$q" >/dev/null 2>&1; then QEMU="$q"; break; fi
done
missing=()
command -v "$CC" >/dev/null 2>&1 || missing+=(gcc-aarch64-linux-gnu)
[ -n "$QEMU" ] || missing+=("qemu-user (or qemu-user-static)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "test-neon: missing Debian package(s): ${missing[*]}" >&2
  echo "test-neon: install with: apt-get install -y gcc-aarch64-linux-gnu qemu-user" >&2
  exit 2
fi

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
C="$HERE/src/main/c"
"$CC" -O2 -std=c11 -Wall -Wextra -static -I"$C" \
  "$C/kernels_common.c" "$C/kernels_neon.c" "$HERE/src/test/c/test_kernels.c" -lm -o "$OUT/test_kernels"
echo "test-neon: $("$CC" --version | head -n1); running under $QEMU"
"$QEMU" "$OUT/test_kernels"
