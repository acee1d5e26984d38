package org.slimj.serve;

/** Always the same front point, batches of up to {@code maxBatch} requests: a fixed-width server. */
public final class FixedWidthPolicy implements WidthPolicy {
  private final int point;
  private final int maxBatch;

  /** Serves at {@code point} in batches of at most {@code maxBatch}. */
  public FixedWidthPolicy(int point, int maxBatch) {
    if (point < 0 || maxBatch < 1) {
      throw new IllegalArgumentException("fixed width: expected a point >= 0 and a batch >= 1, found " + point
          + ", " + maxBatch);
    }
    this.point = point;
    this.maxBatch = maxBatch;
  }

  @Override
  public Decision decide(long now, long[] arrivals, int count) {
    return new Decision(point, Math.min(count, maxBatch));
  }

  @Override
  public int maxBatch() {
    return maxBatch;
  }
}
