package org.slimj.bench;

import java.util.random.RandomGenerator;
import org.slimj.engine.tensor.Tensor;

/** Seeded random inputs for benchmarks: N(0, 1) tensors and arrays, uniform labels. */
public final class RandomTensors {
  private RandomTensors() {}

  /** A tensor of the given shape filled with N(0, 1) values. */
  public static Tensor gaussian(RandomGenerator rng, int... shape) {
    Tensor t = Tensor.zeros(shape);
    for (int i = 0; i < t.size(); i++) {
      t.set(i, (float) rng.nextGaussian());
    }
    return t;
  }

  /** {@code n} N(0, 1) values. */
  public static float[] gaussian(RandomGenerator rng, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) rng.nextGaussian();
    }
    return a;
  }

  /** {@code n} values drawn uniformly from [lo, hi). */
  public static float[] uniform(RandomGenerator rng, int n, float lo, float hi) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = lo + (hi - lo) * rng.nextFloat();
    }
    return a;
  }

  /** {@code n} labels drawn uniformly from [0, classes). */
  public static int[] labels(RandomGenerator rng, int n, int classes) {
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = rng.nextInt(classes);
    }
    return y;
  }
}
