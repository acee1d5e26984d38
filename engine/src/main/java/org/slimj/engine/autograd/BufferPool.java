package org.slimj.engine.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Float buffers recycled by size class: a request for n floats gets a buffer of at least n (a new
 * buffer has the capacity of n's class, n rounded up to 1/8 of its power of two; a free buffer up to
 * {@link #MAX_OVERSIZE} times larger is reused before anything new is made). Training steps ask for
 * similar sizes every time (random widths vary them within the range), so after a few steps every
 * request is served from buffers given back during the previous passes and the steady state
 * allocates no activation or gradient memory (fresh pages are expensive on these machines). Not
 * thread-safe: one pool per tape.
 */
public final class BufferPool {
  /** Free buffers by {@link #classIndex} (no boxed keys on the hot path). */
  private final List<ArrayDeque<float[]>> free = new ArrayList<>();
  private long allocated;

  /** Powers of two a free buffer may exceed a request by and still serve it. */
  private static final int OVERSIZE_OCTAVES = 3;

  /** How many times larger than a request a reused buffer may be. */
  public static final int MAX_OVERSIZE = 1 << OVERSIZE_OCTAVES;

  /** The capacity of the class of requests for {@code n} floats. */
  static int sizeClass(int n) {
    if (n <= 64) {
      return 64;
    }
    int hi = Integer.highestOneBit(n - 1);
    int step = Math.max(1, hi >> 3);
    long c = ((long) n + step - 1) / step * step;
    return (int) Math.min(c, Integer.MAX_VALUE - 8);
  }

  /**
   * A dense number for the class of capacity {@code cls} (a value of {@link #sizeClass}): 0 for 64,
   * then eight classes per power of two.
   */
  static int classIndex(int cls) {
    if (cls <= 64) {
      return 0;
    }
    int hi = Integer.highestOneBit(cls - 1);
    int step = Math.max(1, hi >> 3);
    // classes above 64 lie in (hi, 2*hi] for hi = 64, 128, ..., eight of them each
    return 8 * (Integer.numberOfTrailingZeros(hi) - 6) + (cls - hi + step - 1) / step;
  }

  private ArrayDeque<float[]> queue(int cls) {
    int i = classIndex(cls);
    while (free.size() <= i) {
      free.add(null);
    }
    ArrayDeque<float[]> q = free.get(i);
    if (q == null) {
      q = new ArrayDeque<>();
      free.set(i, q);
    }
    return q;
  }

  /**
   * A buffer of at least {@code length} floats with arbitrary contents: a free buffer of its own
   * class, else the smallest free one at most {@link #MAX_OVERSIZE} times larger, else a new one.
   * Taking larger free buffers lets the narrower widths of a slimmable step run in the buffers of the
   * widest (whose sizes they never match), so the pool holds about one pass's worth, not one per
   * width.
   */
  public float[] take(int length) {
    int cls = sizeClass(length);
    int first = classIndex(cls);
    int last = Math.min(free.size() - 1, first + 8 * OVERSIZE_OCTAVES);
    for (int i = first; i <= last; i++) {
      ArrayDeque<float[]> q = free.get(i);
      if (q != null && !q.isEmpty()) {
        return q.pollFirst();
      }
    }
    allocated += cls;
    return new float[cls];
  }

  /** A buffer of at least {@code length} floats whose first {@code length} are zero. */
  public float[] takeZeroed(int length) {
    float[] b = take(length);
    Arrays.fill(b, 0, length, 0f);
    return b;
  }

  /** Gives {@code b} back for reuse; the caller must not touch it afterwards. */
  public void give(float[] b) {
    queue(b.length).addFirst(b);
  }

  /** Floats allocated so far (not served from the pool); constant in the steady state. */
  public long allocatedFloats() {
    return allocated;
  }
}
