package org.slimj.nativekernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One thread's scratch memory for the native kernels (packed GEMM blocks, padded planes): off-heap,
 * 64-byte aligned, grown when a call needs more and never shrunk, freed by the GC with its owner.
 * Allocated here, outside the JNI critical sections, so native code never allocates. Not
 * thread-safe: each thread has its own.
 */
final class NativeWorkspace {
  private MemorySegment segment = MemorySegment.NULL;

  /** The address of at least {@code floats} floats (valid while this workspace is reachable). */
  long address(long floats) {
    long bytes = Math.max(64, floats * Float.BYTES);
    if (segment.byteSize() < bytes) {
      segment = Arena.ofAuto().allocate(Math.max(bytes, segment.byteSize() + segment.byteSize() / 2), 64);
    }
    return segment.address();
  }
}
