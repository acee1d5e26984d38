package org.slimj.engine.ops;

import java.util.SplittableRandom;
import org.slimj.engine.tensor.Tensor;

/** Seeded random tensors for the op tests. */
final class TestData {
  private TestData() {}

  /** A tensor with values uniform in [lo, hi), requiring a gradient. */
  static Tensor leaf(long seed, float lo, float hi, int... shape) {
    Tensor t = constant(seed, lo, hi, shape);
    t.setRequiresGrad(true);
    return t;
  }

  /** A tensor with values uniform in [-1, 1), requiring a gradient. */
  static Tensor leaf(long seed, int... shape) {
    return leaf(seed, -1f, 1f, shape);
  }

  /** A tensor with values uniform in [lo, hi) that does not require a gradient. */
  static Tensor constant(long seed, float lo, float hi, int... shape) {
    Tensor t = Tensor.zeros(shape);
    fill(t, new SplittableRandom(seed), lo, hi);
    return t;
  }

  /** A tensor with standard normal values, requiring a gradient. */
  static Tensor gaussianLeaf(long seed, int... shape) {
    Tensor t = Tensor.zeros(shape);
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < t.size(); i++) {
      t.set(i, (float) gaussian(r));
    }
    t.setRequiresGrad(true);
    return t;
  }

  /**
   * A leaf tensor that is a view at {@code offset} into a larger array filled with random values
   * (to check that ops honour tensor offsets and touch nothing around the view).
   */
  static Tensor viewLeaf(long seed, int offset, int... shape) {
    Tensor probe = Tensor.zeros(shape);
    float[] backing = new float[offset + probe.size() + 3];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < backing.length; i++) {
      backing[i] = (float) (2 * r.nextDouble() - 1);
    }
    Tensor t = Tensor.view(backing, offset, shape);
    t.setRequiresGrad(true);
    return t;
  }

  /** Uniform values in [lo, hi). */
  static float[] uniform(long seed, int n, float lo, float hi) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (lo + (hi - lo) * r.nextDouble());
    }
    return a;
  }

  /** Copies {@code src[:d0, :d1, ...]} (a leading box of a larger tensor) into a new tensor. */
  static Tensor copyPrefix(Tensor src, int... box) {
    int[] shape = src.shape();
    Tensor dst = Tensor.zeros(box);
    int[] idx = new int[box.length];
    for (int i = 0; i < dst.size(); i++) {
      int rem = i;
      for (int d = box.length - 1; d >= 0; d--) {
        idx[d] = rem % box[d];
        rem /= box[d];
      }
      int flat = 0;
      for (int d = 0; d < shape.length; d++) {
        flat = flat * shape[d] + idx[d];
      }
      dst.set(i, src.get(flat));
    }
    return dst;
  }

  private static void fill(Tensor t, SplittableRandom r, float lo, float hi) {
    for (int i = 0; i < t.size(); i++) {
      t.set(i, (float) (lo + (hi - lo) * r.nextDouble()));
    }
  }

  private static double gaussian(SplittableRandom r) {
    double u = 1.0 - r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
