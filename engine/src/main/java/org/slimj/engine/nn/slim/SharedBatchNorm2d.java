package org.slimj.engine.nn.slim;

import java.util.Arrays;
import java.util.List;
import org.slimj.engine.autograd.BnCalibration;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.nn.Init;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.ops.BatchNorm;
import org.slimj.engine.tensor.Shapes;
import org.slimj.engine.tensor.Tensor;

/**
 * One ordinary batch norm shared by every width: gamma, beta and the running statistics are
 * allocated at the maximum width and sliced by prefix, and training updates the running
 * statistics' prefix with momentum whatever the width. For a single fixed network this is plain
 * batch norm; across several widths it is the naive baseline of the slimmable-networks paper
 * (Yu et al., ICLR 2019, §3.1), whose shared statistics mix the widths.
 */
public final class SharedBatchNorm2d implements SlimBatchNorm {
  private final String name;
  private final int cMax;
  private final Tensor gamma;
  private final Tensor beta;
  private final float[] runningMean;
  private final float[] runningVar;

  /** A shared batch norm over up to {@code cMax} channels. */
  public SharedBatchNorm2d(String name, int cMax) {
    if (cMax < 1) {
      throw new IllegalArgumentException(name + ": channel count must be at least 1, found " + cMax);
    }
    this.name = name;
    this.cMax = cMax;
    gamma = Tensor.parameter(cMax);
    Init.fill(gamma, 1f);
    beta = Tensor.parameter(cMax);
    runningMean = new float[cMax];
    runningVar = new float[cMax];
    Arrays.fill(runningVar, 1f);
  }

  @Override
  public Tensor forward(Context ctx, Tensor x, ChannelConfig cfg) {
    if (x.rank() < 2) {
      throw new IllegalArgumentException(name + ": expected [N, C, ...], found " + x);
    }
    Shapes.requireInRange(x.dim(1), cMax, name + " channels");
    int c = x.dim(1);
    if (!ctx.training()) {
      return BatchNorm.forwardEval(ctx, x, gamma, beta, 0, runningMean, runningVar, EPS);
    }
    float[] mean = ctx.scratch(c);
    float[] var = ctx.scratch(c);
    Tensor y = BatchNorm.forwardTrain(ctx, x, gamma, beta, 0, EPS, mean, var);
    SlimBatchNorm.record(ctx, name, c, (long) x.size() / c, mean, var, runningMean, runningVar);
    return y;
  }

  /** Replaces the prefix of the shared running statistics with the calibrated ones. */
  @Override
  public void installCalibration(ChannelConfig cfg, BnCalibration cal) {
    float[] m = cal.mean(name);
    float[] v = cal.variance(name);
    System.arraycopy(m, 0, runningMean, 0, m.length);
    System.arraycopy(v, 0, runningVar, 0, v.length);
  }

  @Override
  public float[][] evalAffine(ChannelConfig cfg, int channels) {
    Shapes.requireInRange(channels, cMax, name + " channels");
    return SlimBatchNorm.affine(gamma.data(), beta.data(), runningMean, runningVar, channels);
  }

  @Override
  public boolean hasStatistics(ChannelConfig cfg) {
    return true;
  }

  /** The running mean (a copy). */
  public float[] runningMean() {
    return runningMean.clone();
  }

  /** The running variance (a copy). */
  public float[] runningVar() {
    return runningVar.clone();
  }

  @Override
  public java.util.Map<String, float[]> buffers() {
    java.util.Map<String, float[]> m = new java.util.LinkedHashMap<>();
    m.put(name + ".running_mean", runningMean);
    m.put(name + ".running_var", runningVar);
    return m;
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
