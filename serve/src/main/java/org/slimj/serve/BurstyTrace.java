package org.slimj.serve;

import java.util.SplittableRandom;

/**
 * An open-loop arrival trace: Poisson arrivals at {@code rate} per second, raised to {@code
 * spikeFactor} times that for {@code spikeSeconds} in the middle of every {@code periodSeconds}
 * (bursts as in SuperServe's bursty traces), over {@code seconds}. Arrival times are drawn by
 * thinning a Poisson process at the spike rate, so the same seed gives the same trace.
 *
 * @param rate base arrivals per second
 * @param spikeFactor rate multiplier during a spike (>= 1)
 * @param periodSeconds one spike per period
 * @param spikeSeconds spike length (at most the period)
 * @param seconds trace length
 * @param seed random seed
 */
public record BurstyTrace(double rate, double spikeFactor, double periodSeconds, double spikeSeconds, double seconds,
    long seed) {
  /** Longest trace. */
  public static final double MAX_SECONDS = 600;

  /** Most arrivals a trace may have. */
  public static final int MAX_ARRIVALS = 500_000;

  /** Checks the fields. */
  public BurstyTrace {
    if (!(rate > 0) || !(spikeFactor >= 1) || !(periodSeconds > 0) || !(spikeSeconds >= 0)
        || spikeSeconds > periodSeconds || !(seconds > 0) || seconds > MAX_SECONDS) {
      throw new IllegalArgumentException("bursty trace: expected rate > 0, spike factor >= 1, period > 0, 0 <= spike"
          + " <= period, 0 < length <= " + MAX_SECONDS + " s; found rate " + rate + ", factor " + spikeFactor
          + ", period " + periodSeconds + ", spike " + spikeSeconds + ", length " + seconds);
    }
    double expected = rate * seconds * (1 + (spikeFactor - 1) * spikeSeconds / periodSeconds);
    if (expected > MAX_ARRIVALS * 0.9) {
      throw new IllegalArgumentException("bursty trace: about " + (long) expected + " arrivals expected, more than the "
          + "bound of " + MAX_ARRIVALS);
    }
  }

  /** Whether second {@code t} of the trace lies in a spike. */
  public boolean inSpike(double t) {
    double start = (periodSeconds - spikeSeconds) / 2;
    double phase = t % periodSeconds;
    return phase >= start && phase < start + spikeSeconds;
  }

  /** Arrival times in nanoseconds from the start, ascending. */
  public long[] arrivals() {
    SplittableRandom r = new SplittableRandom(seed);
    double peak = rate * spikeFactor;
    long[] out = new long[64];
    int n = 0;
    double t = 0;
    while (true) {
      t += -Math.log(1 - r.nextDouble()) / peak;
      if (t >= seconds) {
        break;
      }
      double accept = inSpike(t) ? 1 : 1 / spikeFactor;
      if (r.nextDouble() < accept) {
        if (n == MAX_ARRIVALS) {
          throw new IllegalStateException("bursty trace: more than " + MAX_ARRIVALS + " arrivals (seed " + seed + ")");
        }
        if (n == out.length) {
          out = java.util.Arrays.copyOf(out, 2 * n);
        }
        out[n++] = (long) (t * 1e9);
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }
}
