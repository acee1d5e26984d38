package org.slimj.engine.infer;

import java.util.Arrays;

/**
 * The logits of a batch of images, with probabilities and top-k classes derived from them.
 * Immutable (the arrays handed out are copies).
 */
public final class Prediction {
  private final int n;
  private final int classes;
  private final float[] logits;

  /** Wraps {@code logits} {@code [n, classes]} (not copied: the caller hands it over). */
  Prediction(int n, int classes, float[] logits) {
    if (logits.length != n * classes) {
      throw new IllegalArgumentException("prediction: expected " + n + " x " + classes + " logits, found "
          + logits.length);
    }
    this.n = n;
    this.classes = classes;
    this.logits = logits;
  }

  /**
   * A prediction from logits {@code [n, classes]} (copied), e.g. of another runtime or a test.
   *
   * @throws IllegalArgumentException if there are not {@code n * classes} logits
   */
  public static Prediction ofLogits(int n, int classes, float[] logits) {
    if (n < 1 || classes < 1) {
      throw new IllegalArgumentException("prediction: expected n >= 1 and classes >= 1, found " + n + ", " + classes);
    }
    return new Prediction(n, classes, logits.clone());
  }

  /** Number of images. */
  public int size() {
    return n;
  }

  /** Number of classes. */
  public int classes() {
    return classes;
  }

  /** The logits {@code [n, classes]}, row-major (a copy). */
  public float[] logits() {
    return logits.clone();
  }

  /** The logits of image {@code i} (a copy). */
  public float[] logits(int i) {
    check(i);
    return Arrays.copyOfRange(logits, i * classes, (i + 1) * classes);
  }

  /** Softmax of image {@code i}'s logits (computed stably in double). */
  public float[] probabilities(int i) {
    check(i);
    int o = i * classes;
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < classes; j++) {
      max = Math.max(max, logits[o + j]);
    }
    double sum = 0;
    double[] e = new double[classes];
    for (int j = 0; j < classes; j++) {
      e[j] = Math.exp(logits[o + j] - max);
      sum += e[j];
    }
    float[] p = new float[classes];
    for (int j = 0; j < classes; j++) {
      p[j] = (float) (e[j] / sum);
    }
    return p;
  }

  /** The class with the largest logit for image {@code i} (the lowest index among ties). */
  public int argmax(int i) {
    return topK(i, 1)[0];
  }

  /** The {@code k} classes with the largest logits for image {@code i}, best first (ties: lower index first). */
  public int[] topK(int i, int k) {
    check(i);
    if (k < 1 || k > classes) {
      throw new IllegalArgumentException("top-k: expected k in [1, " + classes + "], found " + k);
    }
    int o = i * classes;
    int[] best = new int[k];
    int filled = 0;
    for (int j = 0; j < classes; j++) {
      float v = logits[o + j];
      int pos = filled;
      while (pos > 0 && logits[o + best[pos - 1]] < v) {
        pos--;
      }
      if (pos < k) {
        System.arraycopy(best, pos, best, pos + 1, Math.min(filled, k - 1) - pos);
        best[pos] = j;
        filled = Math.min(filled + 1, k);
      }
    }
    return best;
  }

  private void check(int i) {
    if (i < 0 || i >= n) {
      throw new IllegalArgumentException("prediction: image index must be in [0, " + n + "), found " + i);
    }
  }
}
