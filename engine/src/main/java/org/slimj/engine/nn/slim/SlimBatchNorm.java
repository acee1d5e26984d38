package org.slimj.engine.nn.slim;

import java.util.List;
import org.slimj.engine.autograd.BnCalibration;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.tensor.Tensor;

/**
 * A batch norm that runs at any width. In training mode it normalises with batch statistics; in
 * calibration mode ({@link Context#calibration()} set) it also reports them; in eval mode it uses
 * running statistics chosen by the flavour (per switch, or per calibrated configuration).
 */
public interface SlimBatchNorm {
  /** Default epsilon added to the variance. */
  float EPS = 1e-5f;

  /** Default momentum of running statistics (PyTorch convention: new = (1-m)·old + m·batch). */
  float MOMENTUM = 0.1f;

  /** Normalises x [N, C, H, W] (or [N, C]) for configuration {@code cfg}. */
  Tensor forward(Context ctx, Tensor x, ChannelConfig cfg);

  /** Stores the statistics {@code cal} gathered for this layer as the running statistics of {@code cfg}. */
  void installCalibration(ChannelConfig cfg, BnCalibration cal);

  /**
   * Makes eval-mode forward at {@code cfg} (with {@code channels} channels in this layer) use the
   * statistics tracked during training instead of calibrated ones. Flavours that always use their
   * tracked statistics do nothing.
   */
  default void useRunningStatistics(ChannelConfig cfg, int channels) {}

  /**
   * Forgets the statistics installed for {@code cfg} (calibrated or made with {@link
   * #useRunningStatistics}), so a search that calibrates thousands of configurations keeps memory
   * bounded. Flavours without per-configuration statistics do nothing.
   */
  default void forgetStatistics(ChannelConfig cfg) {}

  /** Whether eval-mode forward at {@code cfg} has running statistics to use. */
  boolean hasStatistics(ChannelConfig cfg);

  /** Dotted path name (the key under which calibration statistics are reported). */
  String name();

  /** Trainable parameters (gamma and beta; no weight decay). */
  List<Parameter> parameters();

  /**
   * The running-statistics buffers that a checkpoint must keep, by dotted name (e.g. {@code
   * stem.bn.0.running_mean}); the arrays are live, so a checkpoint loader copies into them.
   * Calibrated per-configuration statistics are not included: they are recomputed by calibration.
   */
  default java.util.Map<String, float[]> buffers() {
    return java.util.Map.of();
  }

  /**
   * After a training-mode forward: reports the batch statistics to the calibration if one is
   * running, else folds them into the running statistics with {@link #MOMENTUM}. {@code var} is
   * the biased batch variance of {@code count} values per channel; it is made unbiased in place.
   */
  static void record(Context ctx, String name, int channels, long count, float[] mean, float[] var,
      float[] runningMean, float[] runningVar) {
    unbias(var, channels, count);
    if (ctx.calibration() != null) {
      ctx.calibration().add(name, channels, mean, var);
      return;
    }
    for (int j = 0; j < channels; j++) {
      runningMean[j] = (1 - MOMENTUM) * runningMean[j] + MOMENTUM * mean[j];
      runningVar[j] = (1 - MOMENTUM) * runningVar[j] + MOMENTUM * var[j];
    }
  }

  /** Converts a biased batch variance of {@code count} samples into the unbiased one, as PyTorch tracks. */
  static void unbias(float[] var, int channels, long count) {
    if (count > 1) {
      float f = (float) count / (count - 1);
      for (int i = 0; i < channels; i++) {
        var[i] *= f;
      }
    }
  }

  /**
   * The per-channel affine map {@code y = x * scale[c] + shift[c]} that eval-mode forward applies
   * at {@code cfg} to an input of {@code channels} channels: {@code {scale, shift}}, each of
   * length {@code channels}, computed exactly as the forward pass computes them (for folding the
   * batch norm into the preceding convolution).
   *
   * @throws IllegalArgumentException if {@code channels} does not fit this layer at {@code cfg}
   * @throws IllegalStateException if the layer has no statistics for {@code cfg} (universal BN
   *     not calibrated for it)
   */
  float[][] evalAffine(ChannelConfig cfg, int channels);

  /**
   * {@code {scale, shift}} with {@code scale = gamma / sqrt(var + eps)} and {@code shift = beta -
   * mean * scale} over {@code c} channels, as {@code BatchNorm.forwardEval} computes them.
   */
  static float[][] affine(float[] gamma, float[] beta, float[] mean, float[] var, int c) {
    float[] scale = new float[c];
    float[] shift = new float[c];
    for (int ch = 0; ch < c; ch++) {
      float invStd = (float) (1.0 / Math.sqrt((double) var[ch] + EPS));
      scale[ch] = gamma[ch] * invStd;
      shift[ch] = beta[ch] - mean[ch] * scale[ch];
    }
    return new float[][] {scale, shift};
  }
}
