package org.slimj.datasets;

import java.util.Arrays;

/**
 * Per-channel normalization of images already scaled to {@code [0, 1]} ({@code pixel / 255}):
 * {@code x ← (x − mean[c]) / std[c]}. The statistics are given, or computed from a training set
 * (never from the test set).
 */
public final class Normalization {
  private final float[] mean;
  private final float[] std;
  private final float[] inverseStd;

  private Normalization(float[] mean, float[] std) {
    if (mean.length != std.length || mean.length == 0) {
      throw new IllegalArgumentException(
          "need one mean and one std per channel, found " + mean.length + " means and " + std.length + " stds");
    }
    inverseStd = new float[std.length];
    for (int c = 0; c < std.length; c++) {
      if (!(std[c] > 0) || !Float.isFinite(std[c]) || !Float.isFinite(mean[c])) {
        throw new IllegalArgumentException(
            "channel " + c + ": expected a finite mean and a finite std > 0, found mean " + mean[c] + ", std "
                + std[c]);
      }
      inverseStd[c] = 1f / std[c];
    }
    this.mean = mean;
    this.std = std;
  }

  /** Normalization with the given per-channel means and standard deviations (on the [0, 1] scale). */
  public static Normalization of(float[] mean, float[] std) {
    return new Normalization(mean.clone(), std.clone());
  }

  /** No shift and no scaling beyond {@code pixel / 255}: mean 0 and std 1 for each channel. */
  public static Normalization identity(int channels) {
    float[] ones = new float[channels];
    Arrays.fill(ones, 1f);
    return new Normalization(new float[channels], ones);
  }

  /**
   * The mean and (population) standard deviation of each channel of {@code data} on the [0, 1]
   * scale, computed exactly from per-channel histograms. A channel with no spread gets std 1.
   */
  public static Normalization computedFrom(ImageDataset data) {
    int c = data.channels();
    int plane = data.height() * data.width();
    long[][] histogram = new long[c][256];
    byte[] pixels = data.pixelArray();
    for (int i = 0; i < data.count(); i++) {
      int base = i * data.imageSize();
      for (int ch = 0; ch < c; ch++) {
        long[] h = histogram[ch];
        for (int p = base + ch * plane, end = p + plane; p < end; p++) {
          h[pixels[p] & 0xFF]++;
        }
      }
    }
    float[] mean = new float[c];
    float[] std = new float[c];
    for (int ch = 0; ch < c; ch++) {
      double n = 0;
      double sum = 0;
      for (int v = 0; v < 256; v++) {
        n += histogram[ch][v];
        sum += histogram[ch][v] * (v / 255.0);
      }
      if (n == 0) {
        throw new IllegalArgumentException("cannot compute statistics of an empty data set: " + data.name());
      }
      double m = sum / n;
      double squares = 0;
      for (int v = 0; v < 256; v++) {
        double d = v / 255.0 - m;
        squares += histogram[ch][v] * d * d;
      }
      double s = Math.sqrt(squares / n);
      mean[ch] = (float) m;
      std[ch] = s > 0 ? (float) s : 1f;
    }
    return new Normalization(mean, std);
  }

  /** Number of channels. */
  public int channels() {
    return mean.length;
  }

  /** Mean of channel {@code c}. */
  public float mean(int c) {
    return mean[c];
  }

  /** Standard deviation of channel {@code c}. */
  public float std(int c) {
    return std[c];
  }

  /**
   * Normalizes one C×H×W image at {@code offset} of {@code buf} in place; {@code plane} is H×W and
   * C must equal {@link #channels()}.
   */
  public void applyInPlace(float[] buf, int offset, int plane) {
    for (int c = 0; c < mean.length; c++) {
      float m = mean[c];
      float s = inverseStd[c];
      for (int p = offset + c * plane, end = p + plane; p < end; p++) {
        buf[p] = (buf[p] - m) * s;
      }
    }
  }

  @Override
  public String toString() {
    return "mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
  }
}
