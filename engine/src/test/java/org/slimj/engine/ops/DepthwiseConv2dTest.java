package org.slimj.engine.ops;

import org.slimj.engine.TestBackends;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Tensor;

class DepthwiseConv2dTest {

  static Stream<Arguments> geometries() {
    int[][] kSP = {{3, 1, 1}, {3, 2, 1}, {3, 2, 0}, {5, 1, 2}, {5, 2, 2}, {5, 1, 0}};
    return TestBackends.plain()
        .flatMap(
            k ->
                Arrays.stream(kSP).map(g -> Arguments.of(Named.of(k.name(), k), g[0], g[1], g[2])));
  }

  @ParameterizedTest(name = "{0} k={1} stride={2} pad={3}")
  @MethodSource("geometries")
  void gradientMatchesFiniteDifferences(Kernels k, int kernel, int stride, int pad) {
    long seed = 2000 + kernel * 100 + stride * 10 + pad;
    Tensor x = TestData.leaf(seed, 2, 3, 5, 7);
    Tensor w = TestData.leaf(seed + 1, 3, 1, kernel, kernel);
    GradCheck.check(
        "DepthwiseConv2d x[2,3,5,7] w[3,1,"
            + kernel
            + ","
            + kernel
            + "] stride "
            + stride
            + " pad "
            + pad,
        k,
        seed,
        ctx -> DepthwiseConv2d.forward(ctx, x, w, stride, pad),
        x,
        w);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void slicedPrefixGradientAndZeroOutside(Kernels k) {
    long seed = 2424;
    Tensor x = TestData.viewLeaf(seed, 7, 2, 4, 5, 6);
    Tensor w = TestData.viewLeaf(seed + 1, 2, 6, 1, 3, 3);
    String label = "DepthwiseConv2d prefix x[2,4,5,6] w[6,1,3,3] stride 2 pad 1";
    GradCheck.Result r =
        GradCheck.check(label, k, seed, ctx -> DepthwiseConv2d.forward(ctx, x, w, 2, 1), x, w);
    GradCheck.assertZeroOutside(
        label + " seed " + seed,
        r.grad(w),
        w.shape(),
        new int[] {0, 0, 0, 0},
        new int[] {4, 1, 3, 3});
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void prefixOfBigWeightEqualsCopiedSmallWeight(Kernels k) {
    long seed = 78;
    int c = 4;
    Tensor x1 = TestData.leaf(seed, 3, c, 7, 5);
    Tensor x2 = Tensor.of(x1.toArray(), x1.shape());
    x2.setRequiresGrad(true);
    Tensor big = TestData.leaf(seed + 1, 7, 1, 5, 5);
    Tensor small = TestData.copyPrefix(big, c, 1, 5, 5);
    small.setRequiresGrad(true);

    Tape t1 = new Tape();
    Tensor y1 = DepthwiseConv2d.forward(Context.train(k, t1, null), x1, big, 1, 2);
    Tape t2 = new Tape();
    Tensor y2 = DepthwiseConv2d.forward(Context.train(k, t2, null), x2, small, 1, 2);
    String label = "DepthwiseConv2d slice equivalence seed " + seed;
    SliceAsserts.assertClose(label + " output", y2.toArray(), y1.toArray());

    float[] seedGrad = TestData.uniform(seed + 2, y1.size(), -1f, 1f);
    t1.backward(y1, seedGrad);
    t2.backward(y2, seedGrad);
    SliceAsserts.assertClose(label + " dx", x2.grad(), x1.grad());
    SliceAsserts.assertClose(label + " dW prefix", small.grad(), Arrays.copyOf(big.grad(), c * 25));
    GradCheck.assertZeroOutside(
        label + " dW", big.grad(), big.shape(), new int[] {0, 0, 0, 0}, new int[] {c, 1, 5, 5});
  }

  @Test
  void rejectsShapesThatDoNotFit() {
    Context ctx = Context.inference(TestBackends.scalar());
    Tensor w = Tensor.zeros(4, 1, 3, 3);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DepthwiseConv2d.forward(ctx, Tensor.zeros(1, 5, 4, 4), w, 1, 1));
    assertTrue(
        e.getMessage().contains("[1, 4]") && e.getMessage().contains("found 5"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DepthwiseConv2d.forward(
                    ctx, Tensor.zeros(1, 2, 4, 4), Tensor.zeros(4, 2, 3, 3), 1, 1));
    assertTrue(e.getMessage().contains("[4, 2, 3, 3]"), e.getMessage());
  }
}
