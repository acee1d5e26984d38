package org.slimj.engine.example;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.slimj.engine.tensor.Tensor;
import org.slimj.engine.train.Batch;

/**
 * A seeded synthetic image task: four classes of single-channel images, each a randomly placed,
 * randomly scaled stroke (horizontal, vertical, diagonal or anti-diagonal) on Gaussian noise. Small
 * enough to train in seconds, hard enough that a network must learn oriented filters.
 */
public final class SyntheticImages {
  /** Number of classes. */
  public static final int CLASSES = 4;

  private final float[] pixels;
  private final int[] labels;
  private final int size;

  private SyntheticImages(float[] pixels, int[] labels, int size) {
    this.pixels = pixels;
    this.labels = labels;
    this.size = size;
  }

  /** Generates {@code count} images of {@code size}×{@code size} with noise deviation {@code noise}. */
  public static SyntheticImages generate(int count, int size, double noise, RandomGenerator rng) {
    if (count < 1 || size < 6) {
      throw new IllegalArgumentException("expected count >= 1 and size >= 6, found " + count + ", " + size);
    }
    float[] px = new float[count * size * size];
    int[] lab = new int[count];
    for (int i = 0; i < count; i++) {
      int cls = rng.nextInt(CLASSES);
      lab[i] = cls;
      int base = i * size * size;
      for (int j = 0; j < size * size; j++) {
        px[base + j] = (float) (rng.nextGaussian() * noise);
      }
      float amp = (float) (0.8 + 0.6 * rng.nextDouble());
      int len = size / 2 + rng.nextInt(size / 3);
      int r0 = rng.nextInt(size - len + 1);
      int c0 = rng.nextInt(size - len + 1);
      int fixed = 1 + rng.nextInt(size - 2);
      for (int t = 0; t < len; t++) {
        int r;
        int c;
        switch (cls) {
          case 0 -> { r = fixed; c = c0 + t; }
          case 1 -> { r = r0 + t; c = fixed; }
          case 2 -> { r = r0 + t; c = c0 + t; }
          default -> { r = r0 + t; c = c0 + len - 1 - t; }
        }
        px[base + r * size + c] += amp;
      }
    }
    return new SyntheticImages(px, lab, size);
  }

  /** Number of images. */
  public int count() {
    return labels.length;
  }

  /** Consecutive batches of {@code batchSize} (the last one may be smaller), copied into new tensors. */
  public List<Batch> batches(int batchSize) {
    List<Batch> out = new ArrayList<>();
    int per = size * size;
    for (int s = 0; s < count(); s += batchSize) {
      int n = Math.min(batchSize, count() - s);
      float[] x = new float[n * per];
      System.arraycopy(pixels, s * per, x, 0, n * per);
      int[] y = new int[n];
      System.arraycopy(labels, s, y, 0, n);
      out.add(new Batch(Tensor.of(x, n, 1, size, size), y));
    }
    return out;
  }

  /** A batch of {@code batchSize} images drawn at random (with replacement). */
  public Batch sample(int batchSize, RandomGenerator rng) {
    int per = size * size;
    float[] x = new float[batchSize * per];
    int[] y = new int[batchSize];
    for (int i = 0; i < batchSize; i++) {
      int k = rng.nextInt(count());
      System.arraycopy(pixels, k * per, x, i * per, per);
      y[i] = labels[k];
    }
    return new Batch(Tensor.of(x, batchSize, 1, size, size), y);
  }
}
