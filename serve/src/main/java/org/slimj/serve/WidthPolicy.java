package org.slimj.serve;

/**
 * Chooses, for the requests waiting in a server's queue, how many to serve in the next batch and
 * at which point of the {@link WidthFront}. Policies read the clock only through the {@code now}
 * they are given, so they can be tested with a simulated one.
 */
public interface WidthPolicy {
  /**
   * What the next batch is.
   *
   * @param point index into the front (0 the fastest)
   * @param batch requests to take from the head of the queue (>= 1)
   */
  record Decision(int point, int batch) {}

  /**
   * The next batch for a queue of {@code count >= 1} requests that arrived at {@code arrivals[0..count)}
   * (nanoseconds, oldest first) when the time is {@code now}.
   */
  Decision decide(long now, long[] arrivals, int count);

  /** Largest batch this policy takes. */
  int maxBatch();
}
