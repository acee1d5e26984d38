package org.slimj.serve;

/**
 * The widest configuration that still meets a latency objective, in the spirit of SuperServe's
 * slack-fit policy (Khare et al., "SuperServe: Fine-Grained Inference Serving for Unpredictable
 * Workloads", NSDI 2025, §4.2): switching between configurations of one weight-shared network
 * costs nothing, so every batch may run at a different point of the front, chosen from the slack
 * its requests have left.
 *
 * <p>The next batch takes the oldest {@code min(queue, maxBatch)} requests (draining as fast as
 * batching allows). Its deadline is the oldest request's arrival plus the objective minus a
 * reserve for work outside the model (parsing, answering). Going from the widest point down, the
 * first point is chosen whose predicted batch time ({@link ServiceTimes}, measured) meets that
 * deadline <em>and</em> leaves the requests queued behind the batch (up to {@code lookahead}
 * further batches) able to meet theirs at the fastest point. When none does, the fastest point
 * serves: the queue is then past what any width can hold, and draining it quickest loses the
 * fewest requests.
 */
public final class SlackFitPolicy implements WidthPolicy {
  private final ServiceTimes times;
  private final long sloNanos;
  private final long reserveNanos;
  private final int maxBatch;
  private final int lookahead;

  /**
   * A policy over the points {@code times} predicts.
   *
   * @param sloNanos the latency objective per request (arrival to answer)
   * @param reserveNanos time kept back from every deadline for work outside the model
   * @param maxBatch largest batch
   * @param lookahead further batches behind the next whose deadlines are checked (>= 0)
   */
  public SlackFitPolicy(ServiceTimes times, long sloNanos, long reserveNanos, int maxBatch, int lookahead) {
    if (times == null || sloNanos <= 0 || reserveNanos < 0 || reserveNanos >= sloNanos || maxBatch < 1
        || lookahead < 0) {
      throw new IllegalArgumentException("slack-fit policy: expected service times, objective > 0, 0 <= reserve <"
          + " objective, batch >= 1, lookahead >= 0; found objective " + sloNanos + " ns, reserve " + reserveNanos
          + " ns, batch " + maxBatch + ", lookahead " + lookahead);
    }
    this.times = times;
    this.sloNanos = sloNanos;
    this.reserveNanos = reserveNanos;
    this.maxBatch = maxBatch;
    this.lookahead = lookahead;
  }

  @Override
  public Decision decide(long now, long[] arrivals, int count) {
    if (count < 1 || count > arrivals.length) {
      throw new IllegalArgumentException("slack-fit policy: expected 1 <= count <= " + arrivals.length + ", found "
          + count);
    }
    int batch = Math.min(count, maxBatch);
    for (int p = times.points() - 1; p > 0; p--) {
      if (fits(now, arrivals, count, batch, p)) {
        return new Decision(p, batch);
      }
    }
    return new Decision(0, batch);
  }

  /** Whether serving the next {@code batch} at point {@code p} keeps it and the batches behind it in time. */
  private boolean fits(long now, long[] arrivals, int count, int batch, int p) {
    long done = now + times.predictNanos(p, batch);
    if (done > deadline(arrivals[0])) {
      return false;
    }
    int start = batch;
    for (int k = 0; k < lookahead && start < count; k++) {
      int next = Math.min(count - start, maxBatch);
      done += times.predictNanos(0, next);
      if (done > deadline(arrivals[start])) {
        return false;
      }
      start += next;
    }
    return true;
  }

  private long deadline(long arrival) {
    return arrival + sloNanos - reserveNanos;
  }

  @Override
  public int maxBatch() {
    return maxBatch;
  }
}
