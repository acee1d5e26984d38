package org.slimj.datasets;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Cuts a data set into batches of floats, one epoch at a time, into buffers allocated once and
 * reused for every batch: {@link #images()} (B×C×H×W floats) and {@link #labels()} (B ints). A
 * training batcher visits the images in a shuffled order and augments them; an evaluation
 * batcher visits them in order, unaugmented. Both normalize.
 *
 * <p>The order and augmentation of epoch {@code e} depend only on the seed and {@code e}, so a run
 * can resume at any epoch. Typical use:
 *
 * <pre>{@code
 * Batcher b = Batcher.training(train, 128, new Augment(2, true), norm, seed, true);
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *   b.startEpoch(epoch);
 *   while (b.next()) { step(b.images(), b.labels(), b.size()); }
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one batcher per training loop.
 */
public final class Batcher {
  private final ImageDataset data;
  private final int batchSize;
  private final boolean shuffle;
  private final boolean dropLast;
  private final Augment augment;
  private final Normalization normalization;
  private final long seed;
  private final int[] order;
  private final float[] images;
  private final int[] labels;
  private final int[] indices;
  private SplittableRandom rng;
  private int epoch;
  private int cursor;
  private int size;

  private Batcher(
      ImageDataset data, int batchSize, boolean shuffle, boolean dropLast, Augment augment, Normalization normalization,
      long seed) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, found " + batchSize);
    }
    long most = (Integer.MAX_VALUE - 8L) / data.imageSize();
    if (batchSize > most) {
      throw new IllegalArgumentException("batch size: expected at most " + most + " images of " + data.channels() + "x"
          + data.height() + "x" + data.width() + " (one float array holds a batch), found " + batchSize);
    }
    if (normalization.channels() != data.channels()) {
      throw new IllegalArgumentException(
          "normalization has " + normalization.channels() + " channels, " + data + " has " + data.channels());
    }
    this.data = data;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.augment = augment;
    this.normalization = normalization;
    this.seed = seed;
    this.order = new int[data.count()];
    this.images = new float[Math.multiplyExact(batchSize, data.imageSize())];
    this.labels = new int[batchSize];
    this.indices = new int[batchSize];
    startEpoch(0);
  }

  /**
   * A batcher for training: shuffled order and augmentation drawn from {@code seed} and the
   * epoch; {@code dropLast} skips the last batch of an epoch when it is not full.
   */
  public static Batcher training(
      ImageDataset data, int batchSize, Augment augment, Normalization normalization, long seed, boolean dropLast) {
    return new Batcher(data, batchSize, true, dropLast, augment, normalization, seed);
  }

  /** A batcher for evaluation: every image once, in order, not augmented; the last batch may be partial. */
  public static Batcher evaluation(ImageDataset data, int batchSize, Normalization normalization) {
    return new Batcher(data, batchSize, false, false, Augment.NONE, normalization, 0);
  }

  /**
   * Starts epoch {@code e} (epoch 0 is started on construction): resets the position and, when
   * training, reshuffles.
   */
  public void startEpoch(int e) {
    if (e < 0) {
      throw new IllegalArgumentException("epoch must be at least 0, found " + e);
    }
    epoch = e;
    cursor = 0;
    size = 0;
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    if (shuffle) {
      rng = new SplittableRandom(epochSeed(seed, e));
      Split.shuffle(order, rng);
    }
  }

  /**
   * Fills the buffers with the next batch and returns true, or returns false at the end of the
   * epoch. Rows past {@link #size()} of a partial batch are zero with label -1.
   */
  public boolean next() {
    int left = order.length - cursor;
    if (left <= 0 || (dropLast && left < batchSize)) {
      size = 0;
      return false;
    }
    size = Math.min(batchSize, left);
    int imageSize = data.imageSize();
    int plane = data.height() * data.width();
    for (int r = 0; r < size; r++) {
      int index = order[cursor + r];
      indices[r] = index;
      labels[r] = data.label(index);
      if (shuffle) {
        augment.apply(data, index, images, r * imageSize, rng);
      } else {
        Augment.write(data, index, images, r * imageSize, 0, 0, false);
      }
      normalization.applyInPlace(images, r * imageSize, plane);
    }
    if (size < batchSize) {
      Arrays.fill(images, size * imageSize, images.length, 0f);
      Arrays.fill(labels, size, batchSize, -1);
      Arrays.fill(indices, size, batchSize, -1);
    }
    cursor += size;
    return true;
  }

  /** The image buffer (B×C×H×W floats), the same array for every batch. */
  public float[] images() {
    return images;
  }

  /** The label buffer (B ints), the same array for every batch. */
  public int[] labels() {
    return labels;
  }

  /** Images in the current batch (at most {@link #batchSize()}; 0 before the first and after the last). */
  public int size() {
    return size;
  }

  /** Data-set index of row {@code row} of the current batch. */
  public int index(int row) {
    if (row < 0 || row >= size) {
      throw new IndexOutOfBoundsException("row " + row + " outside the current batch of " + size);
    }
    return indices[row];
  }

  /** The configured batch size B. */
  public int batchSize() {
    return batchSize;
  }

  /** Batches in one epoch. */
  public int batchesPerEpoch() {
    return dropLast ? order.length / batchSize : (order.length + batchSize - 1) / batchSize;
  }

  /** The current epoch. */
  public int epoch() {
    return epoch;
  }

  /** The data set batched. */
  public ImageDataset data() {
    return data;
  }

  /** A seed for epoch {@code e} that differs thoroughly from those of other epochs (a 64-bit mix). */
  private static long epochSeed(long seed, int e) {
    return mix64(seed ^ mix64(0x9E3779B97F4A7C15L * (e + 1L)));
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
