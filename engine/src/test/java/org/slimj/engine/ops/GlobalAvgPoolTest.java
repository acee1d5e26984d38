package org.slimj.engine.ops;

import org.slimj.engine.TestBackends;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Tensor;

class GlobalAvgPoolTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void gradientMatchesFiniteDifferences(Kernels k) {
    long seed = 801;
    Tensor x = TestData.viewLeaf(seed, 2, 2, 3, 5, 7);
    GradCheck.check("GlobalAvgPool x[2,3,5,7]", k, seed, ctx -> GlobalAvgPool.forward(ctx, x), x);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void forwardIsTheSpatialMean(Kernels k) {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 10, 20, 30, 40}, 1, 2, 2, 2);
    Tensor y = GlobalAvgPool.forward(Context.inference(k), x);
    assertArrayEquals(new int[] {1, 2}, y.shape());
    assertEquals(2.5f, y.get(0), 1e-6f);
    assertEquals(25f, y.get(1), 1e-5f);
  }
}
