package org.slimj.bench.latency;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.Supplier;
import org.slimj.engine.tensor.Tensor;

/**
 * A small in-process timing harness that follows JMH's rules for average-time measurements: a
 * time-bounded warm-up, then several measured iterations, each a loop of calls lasting at least a
 * minimum time (so the clock's resolution and call overhead do not matter), the time per call of
 * each iteration, and the <b>median</b> over iterations (robust to a shared machine's hiccups).
 * Every result is folded into a field read at the end (JMH's Blackhole), so the JIT cannot remove
 * the work. It is used instead of JMH's Runner because the grid of a latency table comes from a
 * model's channel space at run time (thousands of (signature, cin, cout) points, which JMH's
 * string {@code @Param}s and per-trial runner overhead fit badly) and because a profile must stay
 * within minutes; forks are not used, so one JVM (already warmed on the whole network) measures all
 * points, as it will run them.
 */
public final class MedianTimer {
  private final double warmupMillis;
  private final double iterationMillis;
  private final int iterations;
  private final TimingClock clock;
  private final ThreadMXBean bean = ManagementFactory.getThreadMXBean();
  private volatile float blackhole;

  /** A wall-clock timer with these settings. */
  public MedianTimer(double warmupMillis, double iterationMillis, int iterations) {
    this(warmupMillis, iterationMillis, iterations, TimingClock.WALL);
  }

  /** A timer with these settings on {@code clock} (warm-up is always wall time). */
  public MedianTimer(double warmupMillis, double iterationMillis, int iterations, TimingClock clock) {
    if (!(warmupMillis >= 0) || !(iterationMillis > 0) || iterations < 1) {
      throw new IllegalArgumentException(
          "timer: expected warm-up >= 0 ms, iteration > 0 ms and >= 1 iteration, found " + warmupMillis + ", "
              + iterationMillis + ", " + iterations);
    }
    this.warmupMillis = warmupMillis;
    this.iterationMillis = iterationMillis;
    this.iterations = iterations;
    this.clock = java.util.Objects.requireNonNull(clock, "clock");
  }

  /** The clock measured. */
  public TimingClock clock() {
    return clock;
  }

  /** The same settings with another warm-up time. */
  public MedianTimer withWarmup(double millis) {
    return new MedianTimer(millis, iterationMillis, iterations, clock);
  }

  /** Warm-up time per measurement, ms. */
  public double warmupMillis() {
    return warmupMillis;
  }

  /** Minimum length of one measured iteration, ms. */
  public double iterationMillis() {
    return iterationMillis;
  }

  /** Measured iterations. */
  public int iterations() {
    return iterations;
  }

  /** A one-line description for provenance. */
  public String describe() {
    return String.format(java.util.Locale.ROOT,
        "in-process harness (JMH rules): %.0f ms warm-up, median of %d iterations of >= %.0f ms, %s clock",
        warmupMillis, iterations, iterationMillis, clock.label());
  }

  /** The median time of one call of {@code body}, in milliseconds. */
  public double medianMillis(Supplier<Tensor> body) {
    warmUp(body);
    double[] perCall = new double[iterations];
    for (int it = 0; it < iterations; it++) {
      perCall[it] = iterationMillis(body);
    }
    return median(perCall);
  }

  /** Runs {@code body} for the warm-up time (elapsed). */
  public void warmUp(Supplier<Tensor> body) {
    float sink = 0;
    long warmEnd = System.nanoTime() + (long) (warmupMillis * 1e6);
    do {
      sink += first(body.get());
    } while (System.nanoTime() < warmEnd);
    consume(sink);
  }

  /** One measured iteration: calls {@code body} for at least the iteration time; the time per call in ms. */
  public double iterationMillis(Supplier<Tensor> body) {
    float sink = 0;
    long minNanos = (long) (iterationMillis * 1e6);
    long calls = 0;
    long start = clock.nanos(bean);
    long elapsed;
    do {
      sink += first(body.get());
      calls++;
      elapsed = clock.nanos(bean) - start;
    } while (elapsed < minNanos);
    consume(sink);
    return elapsed / 1e6 / calls;
  }

  /** The median of {@code values} (sorted in place). */
  public static double median(double[] values) {
    Arrays.sort(values);
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
  }

  private static float first(Tensor t) {
    return t.data()[t.offset()];
  }

  private void consume(float v) {
    blackhole = v;
  }
}
