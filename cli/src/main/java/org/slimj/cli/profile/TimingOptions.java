package org.slimj.cli.profile;

import org.slimj.bench.latency.MedianTimer;
import org.slimj.bench.latency.TimingClock;
import picocli.CommandLine.Option;

/** The timing-harness options of {@code profile} and {@code profile validate}. */
public final class TimingOptions {
  @Option(names = "--warmup-ms", paramLabel = "MS", description = "Warm-up per measurement (default: ${DEFAULT-VALUE}).")
  double warmupMs = 40;

  @Option(names = "--iteration-ms", paramLabel = "MS",
      description = "Minimum length of one measured iteration (default: ${DEFAULT-VALUE}).")
  double iterationMs = 25;

  @Option(names = "--iterations", paramLabel = "N",
      description = "Measured iterations per point; the median is kept (default: ${DEFAULT-VALUE}).")
  int iterations = 5;

  @Option(names = "--warmup-seconds", paramLabel = "S",
      description = "Whole-network warm-up over random configurations before timing (default: ${DEFAULT-VALUE}).")
  double warmupSeconds = 4;

  /** The timer these options describe, on {@code clock}. */
  public MedianTimer timer(TimingClock clock) {
    if (!(warmupSeconds >= 0)) {
      throw new IllegalArgumentException("--warmup-seconds: expected >= 0, found " + warmupSeconds);
    }
    return new MedianTimer(warmupMs, iterationMs, iterations, clock);
  }
}
