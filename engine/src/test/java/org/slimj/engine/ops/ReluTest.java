package org.slimj.engine.ops;

import org.slimj.engine.TestBackends;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Tensor;

class ReluTest {

  /**
   * Values uniform in [lo, hi), resampled while within 0.05 of a kink (finite differences use h
   * 0.01).
   */
  static Tensor awayFromKinks(long seed, float lo, float hi, float[] kinks, int... shape) {
    Tensor x = TestData.leaf(seed, lo, hi, shape);
    float[] fresh = TestData.uniform(seed + 99, 64 * x.size(), lo, hi);
    int next = 0;
    for (int i = 0; i < x.size(); i++) {
      while (nearKink(x.get(i), kinks)) {
        x.set(i, fresh[next++]);
      }
    }
    return x;
  }

  private static boolean nearKink(float v, float[] kinks) {
    for (float k : kinks) {
      if (Math.abs(v - k) < 0.05f) {
        return true;
      }
    }
    return false;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void gradientMatchesFiniteDifferences(Kernels k) {
    long seed = 601;
    Tensor x = awayFromKinks(seed, -2f, 2f, new float[] {0f}, 2, 3, 4, 5);
    GradCheck.check("Relu x[2,3,4,5]", k, seed, ctx -> Relu.forward(ctx, x), x);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void forwardClampsBelowZero(Kernels k) {
    Tensor x = Tensor.of(new float[] {-3f, -0f, 0.5f, 7f}, 4);
    Tensor y = Relu.forward(Context.inference(k), x);
    assertEquals(0f, y.get(0));
    assertEquals(0f, y.get(1), 0f);
    assertEquals(0.5f, y.get(2));
    assertEquals(7f, y.get(3));
  }
}
