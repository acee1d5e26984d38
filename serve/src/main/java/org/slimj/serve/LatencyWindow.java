package org.slimj.serve;

import java.util.Arrays;

/**
 * The latest {@code capacity} latencies (nanoseconds) and their percentiles. Thread-safe; memory
 * is fixed at construction.
 */
public final class LatencyWindow {
  private final long[] ring;
  private long count;

  /** Keeps the latest {@code capacity} values. */
  public LatencyWindow(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("latency window: expected a capacity >= 1, found " + capacity);
    }
    ring = new long[capacity];
  }

  /** Records one latency. */
  public synchronized void add(long nanos) {
    ring[(int) (count % ring.length)] = nanos;
    count++;
  }

  /** Values recorded so far (including those the window no longer holds). */
  public synchronized long count() {
    return count;
  }

  /**
   * The {@code q}-quantiles (each in [0, 1], nearest rank) of the values held, in nanoseconds, or
   * NaN each when none is held.
   */
  public double[] quantiles(double... q) {
    long[] v;
    synchronized (this) {
      v = Arrays.copyOf(ring, (int) Math.min(count, ring.length));
    }
    Arrays.sort(v);
    double[] out = new double[q.length];
    for (int i = 0; i < q.length; i++) {
      if (!(q[i] >= 0 && q[i] <= 1)) {
        throw new IllegalArgumentException("quantile: expected a value in [0, 1], found " + q[i]);
      }
      out[i] = v.length == 0 ? Double.NaN : nearestRank(v, q[i]);
    }
    return out;
  }

  /** The nearest-rank {@code q}-quantile of the non-empty ascending {@code sorted}. */
  public static long nearestRank(long[] sorted, double q) {
    return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
  }
}
