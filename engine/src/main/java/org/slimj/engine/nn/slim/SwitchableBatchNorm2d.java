package org.slimj.engine.nn.slim;

import java.util.ArrayList;
import java.util.List;
import org.slimj.engine.autograd.BnCalibration;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.nn.Init;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.ops.BatchNorm;
import org.slimj.engine.tensor.Tensor;

/**
 * Switchable batch norm (Yu et al., Slimmable Neural Networks, ICLR 2019, §3.2): one private set of
 * gamma, beta, running mean and running variance per entry of a fixed width list. The entry is the
 * configuration's {@link ChannelConfig#switchIndex()}, and the input must have that entry's channel
 * count.
 */
public final class SwitchableBatchNorm2d implements SlimBatchNorm {
  private final String name;
  private final int[] channels;
  private final Tensor[] gamma;
  private final Tensor[] beta;
  private final float[][] runningMean;
  private final float[][] runningVar;

  /** One BN per switch; {@code channels[i]} is the channel count at width-list entry i. */
  public SwitchableBatchNorm2d(String name, int[] channels) {
    if (channels.length == 0) {
      throw new IllegalArgumentException(name + ": switchable batch norm needs at least one width");
    }
    this.name = name;
    this.channels = channels.clone();
    int s = channels.length;
    gamma = new Tensor[s];
    beta = new Tensor[s];
    runningMean = new float[s][];
    runningVar = new float[s][];
    for (int i = 0; i < s; i++) {
      if (channels[i] < 1) {
        throw new IllegalArgumentException(name + ": channel count of switch " + i + " is " + channels[i]);
      }
      gamma[i] = Tensor.parameter(channels[i]);
      Init.fill(gamma[i], 1f);
      beta[i] = Tensor.parameter(channels[i]);
      runningMean[i] = new float[channels[i]];
      runningVar[i] = new float[channels[i]];
      java.util.Arrays.fill(runningVar[i], 1f);
    }
  }

  private int switchOf(Tensor x, ChannelConfig cfg) {
    int i = cfg.switchIndex();
    if (i < 0 || i >= channels.length) {
      throw new IllegalArgumentException(
          name + ": switchable batch norm needs a configuration from its width list (switch index in [0, "
              + channels.length + ")), found " + cfg);
    }
    if (x.rank() < 2 || x.dim(1) != channels[i]) {
      throw new IllegalArgumentException(
          name + ": switch " + i + " expects " + channels[i] + " channels, found input " + x);
    }
    return i;
  }

  @Override
  public Tensor forward(Context ctx, Tensor x, ChannelConfig cfg) {
    int i = switchOf(x, cfg);
    int c = channels[i];
    if (!ctx.training()) {
      return BatchNorm.forwardEval(ctx, x, gamma[i], beta[i], 0, runningMean[i], runningVar[i], EPS);
    }
    float[] mean = ctx.scratch(c);
    float[] var = ctx.scratch(c);
    Tensor y = BatchNorm.forwardTrain(ctx, x, gamma[i], beta[i], 0, EPS, mean, var);
    SlimBatchNorm.record(ctx, name, c, (long) x.size() / c, mean, var, runningMean[i], runningVar[i]);
    return y;
  }

  @Override
  public void installCalibration(ChannelConfig cfg, BnCalibration cal) {
    int i = cfg.switchIndex();
    if (i < 0 || i >= channels.length) {
      throw new IllegalArgumentException(name + ": no switch for configuration " + cfg);
    }
    float[] m = cal.mean(name);
    float[] v = cal.variance(name);
    if (m.length != channels[i]) {
      throw new IllegalArgumentException(
          name + ": calibration has " + m.length + " channels, switch " + i + " has " + channels[i]);
    }
    System.arraycopy(m, 0, runningMean[i], 0, m.length);
    System.arraycopy(v, 0, runningVar[i], 0, v.length);
  }

  @Override
  public float[][] evalAffine(ChannelConfig cfg, int channels) {
    int i = cfg.switchIndex();
    if (i < 0 || i >= this.channels.length) {
      throw new IllegalArgumentException(
          name + ": switchable batch norm needs a configuration from its width list (switch index in [0, "
              + this.channels.length + ")), found " + cfg);
    }
    if (channels != this.channels[i]) {
      throw new IllegalArgumentException(
          name + ": switch " + i + " has " + this.channels[i] + " channels, expected " + channels);
    }
    return SlimBatchNorm.affine(gamma[i].data(), beta[i].data(), runningMean[i], runningVar[i], channels);
  }

  @Override
  public boolean hasStatistics(ChannelConfig cfg) {
    return cfg.switchIndex() >= 0 && cfg.switchIndex() < channels.length;
  }

  /** Running mean of switch {@code i} (a copy). */
  public float[] runningMean(int i) {
    return runningMean[i].clone();
  }

  /** Running variance of switch {@code i} (a copy). */
  public float[] runningVar(int i) {
    return runningVar[i].clone();
  }

  /** Gamma of switch {@code i}. */
  public Tensor gamma(int i) {
    return gamma[i];
  }

  /** Beta of switch {@code i}. */
  public Tensor beta(int i) {
    return beta[i];
  }

  @Override
  public java.util.Map<String, float[]> buffers() {
    java.util.Map<String, float[]> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < channels.length; i++) {
      m.put(name + "." + i + ".running_mean", runningMean[i]);
      m.put(name + "." + i + ".running_var", runningVar[i]);
    }
    return m;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<Parameter> parameters() {
    List<Parameter> p = new ArrayList<>();
    for (int i = 0; i < channels.length; i++) {
      p.add(new Parameter(name + "." + i + ".weight", gamma[i], false));
      p.add(new Parameter(name + "." + i + ".bias", beta[i], false));
    }
    return p;
  }

}
