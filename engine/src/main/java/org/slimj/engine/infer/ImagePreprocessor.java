package org.slimj.engine.infer;

import java.util.Arrays;
import org.slimj.engine.tensor.Tensor;

/**
 * Turns raw images into what a {@link Predictor} expects: pixel values scaled to [0, 1] ({@code
 * pixel / 255}, as the training data was) and normalised per channel with the mean and standard
 * deviation the checkpoint or export recorded ({@link Predictor#normalization()}; none recorded:
 * the [0, 1] values are used as they are). Immutable; safe to share between threads.
 */
public final class ImagePreprocessor {
  private final int[] shape;
  private final float[] mean;
  private final float[] inverseStd;

  private ImagePreprocessor(int[] shape, float[][] normalization) {
    this.shape = shape.clone();
    int c = shape[0];
    this.mean = new float[c];
    this.inverseStd = new float[c];
    Arrays.fill(inverseStd, 1f);
    if (normalization != null) {
      if (normalization[0].length != c || normalization[1].length != c) {
        throw new IllegalArgumentException("normalization: expected " + c + " channels, found "
            + normalization[0].length + " means and " + normalization[1].length + " standard deviations");
      }
      for (int i = 0; i < c; i++) {
        if (!(normalization[1][i] > 0)) {
          throw new IllegalArgumentException("normalization: standard deviation of channel " + i
              + " must be positive, found " + normalization[1][i]);
        }
        mean[i] = normalization[0][i];
        inverseStd[i] = 1f / normalization[1][i];
      }
    }
  }

  /** The preprocessing {@code p}'s inputs need (its image shape and recorded normalization). */
  public static ImagePreprocessor of(Predictor p) {
    return new ImagePreprocessor(p.inputShape(), p.normalization());
  }

  /** Values of one image, {@code C x H x W}. */
  public int imageSize() {
    return shape[0] * shape[1] * shape[2];
  }

  /** One image's shape, {@code {C, H, W}}. */
  public int[] inputShape() {
    return shape.clone();
  }

  /**
   * One image from unsigned 8-bit pixels in {@code C x H x W} order, ready for the predictor.
   *
   * @throws IllegalArgumentException if there are not {@link #imageSize()} pixels
   */
  public float[] fromPixels(byte[] pixels) {
    check(pixels.length);
    float[] out = new float[pixels.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (pixels[i] & 0xFF) / 255f;
    }
    return normalizeInPlace(out);
  }

  /**
   * One image from values in [0, 1] (pixel / 255) in {@code C x H x W} order, ready for the
   * predictor (the input is not modified).
   *
   * @throws IllegalArgumentException if there are not {@link #imageSize()} values or one is not
   *     finite or outside [0, 1]
   */
  public float[] fromUnitRange(float[] values) {
    check(values.length);
    for (int i = 0; i < values.length; i++) {
      if (!(values[i] >= 0f && values[i] <= 1f)) {
        throw new IllegalArgumentException("image value " + i + ": expected a number in [0, 1] (pixel / 255), found "
            + values[i]);
      }
    }
    return normalizeInPlace(values.clone());
  }

  /** A batch {@code [N, C, H, W]} of images already preprocessed (each {@link #imageSize()} values). */
  public Tensor batch(float[]... images) {
    if (images.length == 0) {
      throw new IllegalArgumentException("batch: expected at least one image, found none");
    }
    int size = imageSize();
    float[] data = new float[images.length * size];
    for (int i = 0; i < images.length; i++) {
      if (images[i].length != size) {
        throw new IllegalArgumentException("batch image " + i + ": expected " + size + " values, found "
            + images[i].length);
      }
      System.arraycopy(images[i], 0, data, i * size, size);
    }
    return Tensor.of(data, images.length, shape[0], shape[1], shape[2]);
  }

  private void check(int length) {
    if (length != imageSize()) {
      throw new IllegalArgumentException("image: expected " + shape[0] + " x " + shape[1] + " x " + shape[2] + " = "
          + imageSize() + " values, found " + length);
    }
  }

  private float[] normalizeInPlace(float[] x) {
    int plane = shape[1] * shape[2];
    for (int c = 0; c < shape[0]; c++) {
      for (int p = c * plane, end = p + plane; p < end; p++) {
        x[p] = (x[p] - mean[c]) * inverseStd[c];
      }
    }
    return x;
  }
}
