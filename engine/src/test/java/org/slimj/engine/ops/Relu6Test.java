package org.slimj.engine.ops;

import org.slimj.engine.TestBackends;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Tensor;

class Relu6Test {

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void gradientMatchesFiniteDifferences(Kernels k) {
    long seed = 611;
    Tensor x = ReluTest.awayFromKinks(seed, -2f, 8f, new float[] {0f, 6f}, 3, 4, 5);
    GradCheck.check("Relu6 x[3,4,5]", k, seed, ctx -> Relu6.forward(ctx, x), x);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void forwardClampsToZeroSix(Kernels k) {
    Tensor x = Tensor.of(new float[] {-3f, 0.5f, 5.9f, 6f, 7f}, 5);
    Tensor y = Relu6.forward(Context.inference(k), x);
    assertArrayEquals(new float[] {0f, 0.5f, 5.9f, 6f, 6f}, y.toArray());
  }
}
