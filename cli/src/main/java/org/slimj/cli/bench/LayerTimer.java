package org.slimj.cli.bench;

import java.util.Arrays;

/**
 * Times a callable the way ../shared/perf/bench_torch.py does: warm-up, then R repetitions, each
 * timing enough back-to-back calls to last at least {@code minRepSeconds}; reports the median
 * per-call time.
 */
final class LayerTimer {
  private LayerTimer() {}

  /** Median milliseconds per call of {@code body}. */
  static double medianMillis(Runnable body, int warmup, int reps, double minRepSeconds) {
    for (int i = 0; i < warmup; i++) {
      body.run();
    }
    long t0 = System.nanoTime();
    body.run();
    double one = Math.max(1e-6, (System.nanoTime() - t0) / 1e9);
    int inner = (int) Math.max(1, Math.min(1000, Math.ceil(minRepSeconds / one)));
    double[] ms = new double[reps];
    for (int r = 0; r < reps; r++) {
      long s = System.nanoTime();
      for (int i = 0; i < inner; i++) {
        body.run();
      }
      ms[r] = (System.nanoTime() - s) / 1e6 / inner;
    }
    Arrays.sort(ms);
    return reps % 2 == 1 ? ms[reps / 2] : 0.5 * (ms[reps / 2 - 1] + ms[reps / 2]);
  }
}
