package org.slimj.engine.ops;

import org.slimj.engine.TestBackends;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Tensor;

class FlattenTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void gradientMatchesFiniteDifferences(Kernels k) {
    long seed = 901;
    Tensor x = TestData.viewLeaf(seed, 6, 2, 3, 2, 5);
    GradCheck.check("Flatten x[2,3,2,5]", k, seed, ctx -> Flatten.forward(ctx, x), x);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void gradientThroughARecordedProducer(Kernels k) {
    long seed = 902;
    Tensor x = TestData.leaf(seed, 2, 3, 4, 4);
    Tensor w = TestData.leaf(seed + 1, 3, 1, 3, 3);
    GradCheck.check(
        "Flatten of a depthwise conv output x[2,3,4,4]",
        k,
        seed,
        ctx -> Flatten.forward(ctx, DepthwiseConv2d.forward(ctx, x, w, 1, 1)),
        x,
        w);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void sharesDataWithoutCopy(Kernels k) {
    Tensor x = TestData.viewLeaf(903, 4, 2, 3, 2);
    Tensor y = Flatten.forward(Context.inference(k), x);
    assertArrayEquals(new int[] {2, 6}, y.shape());
    assertSame(x.data(), y.data());
    assertArrayEquals(x.toArray(), y.toArray());
  }

  @Test
  void rejectsRankOne() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Flatten.forward(Context.inference(TestBackends.scalar()), Tensor.zeros(4)));
  }
}
