package org.slimj.engine.autograd;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accumulates per-layer batch-norm statistics over several batches as a cumulative (equal-weight)
 * average, the post-training calibration of universally slimmable networks (US-Nets §3.3): each
 * batch's mean and variance (as the layer reports it: unbiased, as PyTorch tracks) count once, whatever the order. One instance serves one
 * configuration; layers report through {@link Context#calibration()} while it is set.
 */
public final class BnCalibration {
  private static final class Sums {
    final double[] mean;
    final double[] var;
    int batches;

    Sums(int c) {
      mean = new double[c];
      var = new double[c];
    }
  }

  private final Map<String, Sums> sums = new LinkedHashMap<>();

  /** Adds one batch's statistics of layer {@code layer} ({@code channels} entries). */
  public void add(String layer, int channels, float[] batchMean, float[] batchVar) {
    Sums s = sums.computeIfAbsent(layer, k -> new Sums(channels));
    if (s.mean.length != channels) {
      throw new IllegalStateException(
          "calibration of " + layer + ": expected " + s.mean.length + " channels, found " + channels
              + " (one calibration object serves one configuration)");
    }
    for (int i = 0; i < channels; i++) {
      s.mean[i] += batchMean[i];
      s.var[i] += batchVar[i];
    }
    s.batches++;
  }

  /** Layers that reported at least one batch. */
  public java.util.Set<String> layers() {
    return java.util.Collections.unmodifiableSet(sums.keySet());
  }

  /** Channels layer {@code layer} reported. */
  public int channels(String layer) {
    Sums s = sums.get(layer);
    if (s == null) {
      throw new IllegalArgumentException("no calibration batches were seen for layer " + layer);
    }
    return s.mean.length;
  }

  /** Averaged mean of {@code layer}. */
  public float[] mean(String layer) {
    return average(layer, true);
  }

  /** Averaged variance of {@code layer} (average of the batches' reported variances). */
  public float[] variance(String layer) {
    return average(layer, false);
  }

  private float[] average(String layer, boolean mean) {
    Sums s = sums.get(layer);
    if (s == null) {
      throw new IllegalArgumentException("no calibration batches were seen for layer " + layer);
    }
    double[] src = mean ? s.mean : s.var;
    float[] out = new float[src.length];
    for (int i = 0; i < src.length; i++) {
      out[i] = (float) (src[i] / s.batches);
    }
    return out;
  }
}
