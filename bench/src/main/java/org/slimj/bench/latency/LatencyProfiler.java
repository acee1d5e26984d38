package org.slimj.bench.latency;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.space.LayerKind;
import org.slimj.engine.space.LayerSpec;
import org.slimj.engine.space.Slot;
import org.slimj.search.latency.LatencyGrid;
import org.slimj.search.latency.LatencyTable;
import org.slimj.search.latency.LayerSignature;
import org.slimj.search.latency.Provenance;

/**
 * Measures a latency table for a network on the current platform. For each distinct {@link
 * LayerSignature} of the network's layers (in order of first use), a {@link LayerUnit} is timed
 * with a {@link MedianTimer} (the points of one signature in interleaved rounds) at every point of a grid: {@code points} input-channel counts
 * linearly spaced over the union of the layers' input ranges (smallest AutoSlim group to maximum;
 * one point when the input is fixed) times {@code points} output-channel counts likewise (one point
 * for depthwise layers, whose output count is their input count, and for fixed outputs). Between
 * grid points the table interpolates bilinearly: the grid is sampled, not fitted.
 *
 * <p>The table's scale and fixed term are then fitted by least squares to whole-network runs of
 * {@code calibrationConfigs} configurations (lowest, highest and random ones from a seed of their
 * own): measured ≈ scale · (sum of the layers' entries) + fixed. The scale holds how much slower a
 * layer runs inside the network than alone (weights and input no longer in cache), the fixed term
 * what no layer owns (the network's per-call checks, the arena).
 */
public final class LatencyProfiler {
  private final Kernels kernels;
  private final int batch;
  private final int points;
  private final MedianTimer timer;
  private final double warmupSeconds;

  /**
   * @param kernels the backend measured
   * @param batch images per call
   * @param points grid points per channel axis (at least 2)
   * @param timer the timing harness settings
   * @param warmupSeconds whole-network warm-up over random configurations before measuring
   */
  public LatencyProfiler(Kernels kernels, int batch, int points, MedianTimer timer, double warmupSeconds) {
    if (batch < 1 || points < 2) {
      throw new IllegalArgumentException("profile: expected batch >= 1 and grid >= 2, found " + batch + ", " + points);
    }
    this.kernels = kernels;
    this.batch = batch;
    this.points = points;
    this.timer = timer;
    this.warmupSeconds = warmupSeconds;
  }

  /** One signature's layers and the channel ranges they need. */
  private static final class Group {
    int cinLo = Integer.MAX_VALUE;
    int cinHi;
    int coutLo = Integer.MAX_VALUE;
    int coutHi;
    final List<String> layers = new ArrayList<>();
  }

  /**
   * Profiles {@code runner}'s network; {@code progress} receives one line per signature.
   *
   * @param runner the network (also used for warm-up and the fixed term)
   * @param provenance where and how (written into the table)
   * @param calibrationConfigs whole-network configurations for the fixed term (>= 1)
   * @param seed seed of the random calibration configurations and of the weights
   */
  public LatencyTable profile(NetworkRunner runner, Provenance provenance, int calibrationConfigs, long seed,
      Consumer<String> progress) {
    if (calibrationConfigs < 1) {
      throw new IllegalArgumentException("profile: expected >= 1 calibration configuration, found " + calibrationConfigs);
    }
    ChannelSpace space = runner.space();
    Map<LayerSignature, Group> groups = new LinkedHashMap<>();
    for (LayerSpec l : space.layers()) {
      Group g = groups.computeIfAbsent(LayerSignature.of(l), k -> new Group());
      g.layers.add(l.name());
      int[] cin = range(space, l.inSlot(), l.inFixed());
      g.cinLo = Math.min(g.cinLo, cin[0]);
      g.cinHi = Math.max(g.cinHi, cin[1]);
      int[] cout = l.kind() == LayerKind.DEPTHWISE ? new int[] {1, 1} : range(space, l.outSlot(), l.outFixed());
      g.coutLo = Math.min(g.coutLo, cout[0]);
      g.coutHi = Math.max(g.coutHi, cout[1]);
    }
    runner.warmUp(warmupSeconds, seed);
    Map<LayerSignature, LatencyGrid> entries = new LinkedHashMap<>();
    long unitSeed = seed;
    for (Map.Entry<LayerSignature, Group> e : groups.entrySet()) {
      LayerSignature sig = e.getKey();
      Group g = e.getValue();
      int[] cins = ChannelRange.grid(g.cinLo, g.cinHi, points);
      int[] couts = sig.kind() == LayerKind.DEPTHWISE ? new int[] {1} : ChannelRange.grid(g.coutLo, g.coutHi, points);
      // All points of one signature are measured in interleaved rounds (one iteration of each point
      // per round, median over rounds), so a slow spell of a shared machine does not bend the grid.
      LayerUnit[][] units = new LayerUnit[cins.length][couts.length];
      double[][][] rounds = new double[cins.length][couts.length][timer.iterations()];
      for (int i = 0; i < cins.length; i++) {
        for (int j = 0; j < couts.length; j++) {
          units[i][j] = new LayerUnit(kernels, sig, g.cinHi, Math.max(g.coutHi, 1), cins[i],
              sig.kind() == LayerKind.DEPTHWISE ? cins[i] : couts[j], batch, unitSeed++);
          timer.warmUp(units[i][j]::run);
        }
      }
      for (int r = 0; r < timer.iterations(); r++) {
        for (int i = 0; i < cins.length; i++) {
          for (int j = 0; j < couts.length; j++) {
            rounds[i][j][r] = timer.iterationMillis(units[i][j]::run);
          }
        }
      }
      double[][] ms = new double[cins.length][couts.length];
      for (int i = 0; i < cins.length; i++) {
        for (int j = 0; j < couts.length; j++) {
          ms[i][j] = MedianTimer.median(rounds[i][j]) / batch;
        }
      }
      entries.put(sig, new LatencyGrid(cins, couts, ms));
      progress.accept(String.format(java.util.Locale.ROOT, "%-40s %2d x %-2d points, %d layer(s), %.4f..%.4f ms",
          sig, cins.length, couts.length, g.layers.size(), ms[0][0], ms[cins.length - 1][couts.length - 1]));
    }
    LatencyTable table = new LatencyTable(provenance, entries, 0);
    List<ChannelConfig> cal = new ArrayList<>();
    cal.add(ChannelRange.lowest(space));
    if (calibrationConfigs > 1) {
      cal.add(space.max());
    }
    SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
    while (cal.size() < calibrationConfigs) {
      cal.add(ChannelRange.random(space, rng));
    }
    double[] measured = LatencyValidation.measureInterleaved(runner, cal, timer);
    double[] sums = new double[cal.size()];
    double[] perImage = new double[cal.size()];
    for (int i = 0; i < sums.length; i++) {
      sums[i] = table.cost(space, cal.get(i));
      perImage[i] = measured[i] / batch;
    }
    double[] fit = fitScaleAndFixed(sums, perImage);
    progress.accept(String.format(java.util.Locale.ROOT,
        "whole network = %.3f x sum of layers %+.4f ms per image (fitted to %d whole-network runs)", fit[0], fit[1],
        sums.length));
    return table.withFit(fit[0], fit[1]);
  }

  /**
   * Least-squares {@code (scale, fixed)} with {@code measured ≈ scale · sums + fixed}. When the sums
   * do not spread enough to fit a slope (one configuration, or nearly equal sums), or the slope comes
   * out outside [0.5, 3], the scale stays 1 and the fixed term is the median residual. The fixed
   * term is never negative (a network cannot take less than its layers): when the free fit would
   * make it negative, the line is fitted through the origin instead (fixed 0, scale {@code
   * Σ s·m / Σ s²}, clamped to [0.5, 3]).
   */
  static double[] fitScaleAndFixed(double[] sums, double[] measured) {
    int n = sums.length;
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += sums[i] / n;
      my += measured[i] / n;
    }
    double sxx = 0;
    double sxy = 0;
    for (int i = 0; i < n; i++) {
      sxx += (sums[i] - mx) * (sums[i] - mx);
      sxy += (sums[i] - mx) * (measured[i] - my);
    }
    if (n >= 2 && sxx > 1e-6 * mx * mx) {
      double a = sxy / sxx;
      if (a >= 0.5 && a <= 3) {
        double b = my - a * mx;
        return b >= 0 ? new double[] {a, b} : throughOrigin(sums, measured);
      }
    }
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] = measured[i] - sums[i];
    }
    double median = MedianTimer.median(r);
    return median >= 0 ? new double[] {1.0, median} : throughOrigin(sums, measured);
  }


  /** Least-squares {@code measured ≈ scale · sums} (no fixed term), the scale clamped to [0.5, 3]. */
  private static double[] throughOrigin(double[] sums, double[] measured) {
    double sm = 0;
    double ss = 0;
    for (int i = 0; i < sums.length; i++) {
      sm += sums[i] * measured[i];
      ss += sums[i] * sums[i];
    }
    double a = ss > 0 ? sm / ss : 1.0;
    return new double[] {Math.max(0.5, Math.min(3, a)), 0.0};
  }

  /** [low, high] channels of a slot (or the fixed count). */
  private static int[] range(ChannelSpace space, int slot, int fixed) {
    if (slot < 0) {
      return new int[] {fixed, fixed};
    }
    Slot s = space.slots().get(slot);
    return new int[] {ChannelRange.low(s), s.max()};
  }
}
