package org.slimj.bench.latency;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.search.latency.LatencyTable;

/**
 * Checks a latency table against whole-network measurements: random configurations (each slot's
 * count uniform over the profiled range, {@link ChannelRange#random}), the table's prediction and
 * the measured end-to-end time per image of each, and the mean absolute percentage error.
 */
public final class LatencyValidation {
  private LatencyValidation() {}

  /** One configuration's prediction and measurement, ms per image. */
  public record Row(ChannelConfig config, double predictedMs, double measuredMs) {
    /** |predicted − measured| / measured, in percent. */
    public double absPercentError() {
      return 100 * Math.abs(predictedMs - measuredMs) / measuredMs;
    }
  }

  /** The rows and their MAPE. */
  public record Result(List<Row> rows, double mape) {}

  /**
   * Median ms per call of each configuration, measured in interleaved rounds (one timed iteration of
   * every configuration per round, the timer's iteration count of rounds), so a slow spell of a
   * shared machine spreads over all configurations instead of falling on a few.
   */
  public static double[] measureInterleaved(NetworkRunner runner, List<ChannelConfig> cfgs, MedianTimer timer) {
    double[][] perRound = new double[cfgs.size()][timer.iterations()];
    for (ChannelConfig c : cfgs) {
      timer.warmUp(() -> runner.run(c));
    }
    for (int round = 0; round < timer.iterations(); round++) {
      for (int i = 0; i < cfgs.size(); i++) {
        ChannelConfig c = cfgs.get(i);
        perRound[i][round] = timer.iterationMillis(() -> runner.run(c));
      }
    }
    double[] out = new double[cfgs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = MedianTimer.median(perRound[i]);
    }
    return out;
  }

  /** Measures {@code configs} random configurations from {@code seed}. */
  public static Result run(LatencyTable table, NetworkRunner runner, int batch, int configs, long seed,
      MedianTimer timer, double warmupSeconds) {
    if (configs < 1) {
      throw new IllegalArgumentException("validate: expected >= 1 configuration, found " + configs);
    }
    ChannelSpace space = runner.space();
    table.requireCovers(space);
    SplittableRandom rng = new SplittableRandom(seed);
    runner.warmUp(warmupSeconds, seed + 1);
    List<ChannelConfig> cfgs = new ArrayList<>();
    for (int i = 0; i < configs; i++) {
      cfgs.add(ChannelRange.random(space, rng));
    }
    double[] measured = measureInterleaved(runner, cfgs, timer);
    List<Row> rows = new ArrayList<>();
    double sum = 0;
    for (int i = 0; i < configs; i++) {
      Row r = new Row(cfgs.get(i), table.cost(space, cfgs.get(i)), measured[i] / batch);
      rows.add(r);
      sum += r.absPercentError();
    }
    return new Result(List.copyOf(rows), sum / configs);
  }
}
