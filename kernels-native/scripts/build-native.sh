#!/usr/bin/env bash
# Builds libslimjnative.so into target/classes/native/<platform>/ so the jar carries it. Run by
# Maven (exec-maven-plugin, phase process-classes, skipped with -Dnative.skip=true):
#   build-native.sh <java.home> <project.build.directory>
# Without gcc it builds nothing and says so: the module still packages, and the backend "native"
# then reports that no library is in this build. If aarch64-linux-gnu-gcc is present, the AArch64
# (NEON) library is cross-built as well. Skips the compile when the library is newer than every
# source and header.
set -euo pipefail
JAVA_HOME_ARG="$1"
TARGET="$2"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$HERE/src/main/c"
HEADERS="$TARGET/jni-headers"

if ! command -v gcc >/dev/null 2>&1; then
  echo "[slimj native] gcc not found: building without libslimjnative.so (backend native will be unavailable)" >&2
  exit 0
fi

# jni.h: from the JDK running Maven (any JDK has it), else the toolchain's or any under /usr/lib/jvm
JNI_DIR=""
for d in "$JAVA_HOME_ARG" "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  if [ -n "$d" ] && [ -f "$d/include/jni.h" ]; then JNI_DIR="$d/include"; break; fi
done
if [ -z "$JNI_DIR" ]; then
  echo "[slimj native] no jni.h under $JAVA_HOME_ARG/include, \$JAVA_HOME or /usr/lib/jvm/*: install a full JDK" >&2
  exit 1
fi
if [ ! -f "$HEADERS/org_slimj_nativekernels_NativeBridge.h" ]; then
  echo "[slimj native] $HEADERS/org_slimj_nativekernels_NativeBridge.h missing (javac -h should have written it)" >&2
  exit 1
fi

CFLAGS=(-O3 -std=c11 -fPIC -shared -fvisibility=hidden -Wall -Wextra -Werror=implicit-function-declaration
  -I"$SRC" -I"$HEADERS" -I"$JNI_DIR" -I"$JNI_DIR/linux" -Wl,-z,noexecstack)
SOURCES=("$SRC"/*.c)

build() { # compiler platform
  local cc="$1" out="$TARGET/classes/native/$2/libslimjnative.so"
  if [ -f "$out" ] && [ -z "$(find "$SRC" "$HEADERS" -newer "$out" -print -quit)" ]; then
    echo "[slimj native] $2: up to date"
    return 0
  fi
  mkdir -p "$(dirname "$out")"
  "$cc" "${CFLAGS[@]}" -o "$out" "${SOURCES[@]}" -lm
  echo "[slimj native] $2: built $out with $("$cc" --version | head -n1)"
}

case "$(uname -m)" in
  x86_64)
    build gcc linux-x86_64
    if command -v aarch64-linux-gnu-gcc >/dev/null 2>&1; then
      build aarch64-linux-gnu-gcc linux-aarch64
    fi
    ;;
  aarch64) build gcc linux-aarch64 ;;
  *) echo "[slimj native] no native kernels for $(uname -m): building without libslimjnative.so" >&2 ;;
esac
