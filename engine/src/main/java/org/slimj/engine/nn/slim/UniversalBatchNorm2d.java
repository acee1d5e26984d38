package org.slimj.engine.nn.slim;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slimj.engine.autograd.BnCalibration;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.nn.Init;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.ops.BatchNorm;
import org.slimj.engine.tensor.Shapes;
import org.slimj.engine.tensor.Tensor;

/**
 * Universal batch norm (Yu &amp; Huang, Universally Slimmable Networks, ICCV 2019, §3.3): gamma and
 * beta are shared by all widths and sliced by prefix; training always normalises with batch
 * statistics; the running statistics used in eval mode come from post-training calibration and are
 * kept per configuration (keyed by {@link ChannelConfig#key()}). For the ablation "without
 * calibration" it also tracks one momentum average over all trained widths, as a plain shared BN
 * would, which {@link #useRunningStatistics} installs for a configuration.
 */
public final class UniversalBatchNorm2d implements SlimBatchNorm {
  private final String name;
  private final int cMax;
  private final Tensor gamma;
  private final Tensor beta;
  private final Map<String, float[][]> statistics = new ConcurrentHashMap<>();
  private final float[] runningMean;
  private final float[] runningVar;

  /** A universal batch norm over up to {@code cMax} channels. */
  public UniversalBatchNorm2d(String name, int cMax) {
    if (cMax < 1) {
      throw new IllegalArgumentException(name + ": channel count must be at least 1, found " + cMax);
    }
    this.name = name;
    this.cMax = cMax;
    this.gamma = Tensor.parameter(cMax);
    Init.fill(gamma, 1f);
    this.beta = Tensor.parameter(cMax);
    this.runningMean = new float[cMax];
    this.runningVar = new float[cMax];
    java.util.Arrays.fill(runningVar, 1f);
  }

  @Override
  public Tensor forward(Context ctx, Tensor x, ChannelConfig cfg) {
    if (x.rank() < 2) {
      throw new IllegalArgumentException(name + ": expected [N, C, ...], found " + x);
    }
    Shapes.requireInRange(x.dim(1), cMax, name + " channels");
    int c = x.dim(1);
    if (!ctx.training()) {
      float[][] s = statistics.get(cfg.key());
      if (s == null) {
        throw new IllegalStateException(
            name + ": no calibrated statistics for configuration " + cfg
                + "; calibrate batch norm for it before evaluating");
      }
      if (s[0].length != c) {
        throw new IllegalArgumentException(
            name + ": statistics of " + cfg + " have " + s[0].length + " channels, input has " + c);
      }
      return BatchNorm.forwardEval(ctx, x, gamma, beta, 0, s[0], s[1], EPS);
    }
    float[] mean = ctx.scratch(c);
    float[] var = ctx.scratch(c);
    Tensor y = BatchNorm.forwardTrain(ctx, x, gamma, beta, 0, EPS, mean, var);
    SlimBatchNorm.record(ctx, name, c, (long) x.size() / c, mean, var, runningMean, runningVar);
    return y;
  }

  @Override
  public void installCalibration(ChannelConfig cfg, BnCalibration cal) {
    statistics.put(cfg.key(), new float[][] {cal.mean(name), cal.variance(name)});
  }

  /**
   * Uses the statistics tracked with momentum during training (shared by every width that was
   * trained, prefix-sliced) as the statistics of {@code cfg}: evaluation "without calibration".
   */
  @Override
  public void useRunningStatistics(ChannelConfig cfg, int channels) {
    Shapes.requireInRange(channels, cMax, name + " channels");
    statistics.put(cfg.key(), new float[][] {
        java.util.Arrays.copyOf(runningMean, channels), java.util.Arrays.copyOf(runningVar, channels)});
  }

  @Override
  public void forgetStatistics(ChannelConfig cfg) {
    statistics.remove(cfg.key());
  }

  @Override
  public java.util.Map<String, float[]> buffers() {
    java.util.Map<String, float[]> m = new java.util.LinkedHashMap<>();
    m.put(name + ".running_mean", runningMean);
    m.put(name + ".running_var", runningVar);
    return m;
  }

  @Override
  public float[][] evalAffine(ChannelConfig cfg, int channels) {
    Shapes.requireInRange(channels, cMax, name + " channels");
    float[][] s = statistics.get(cfg.key());
    if (s == null) {
      throw new IllegalStateException(
          name + ": no calibrated statistics for configuration " + cfg
              + "; calibrate batch norm for it before exporting");
    }
    if (s[0].length != channels) {
      throw new IllegalArgumentException(
          name + ": statistics of " + cfg + " have " + s[0].length + " channels, expected " + channels);
    }
    return SlimBatchNorm.affine(gamma.data(), beta.data(), s[0], s[1], channels);
  }

  @Override
  public boolean hasStatistics(ChannelConfig cfg) {
    return statistics.containsKey(cfg.key());
  }

  /** The shared gamma, allocated at maximum size. */
  public Tensor gamma() {
    return gamma;
  }

  /** The shared beta, allocated at maximum size. */
  public Tensor beta() {
    return beta;
  }

  /** Calibrated (mean, variance) of {@code cfg}, or null. */
  public float[][] statistics(ChannelConfig cfg) {
    float[][] s = statistics.get(cfg.key());
    return s == null ? null : new float[][] {s[0].clone(), s[1].clone()};
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<Parameter> parameters() {
    return List.of(new Parameter(name + ".weight", gamma, false), new Parameter(name + ".bias", beta, false));
  }
}
