package org.slimj.engine.ops;

import org.slimj.engine.TestBackends;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

class Conv2dTest {

  static Stream<Arguments> geometries() {
    int[][] kSP = {{1, 1, 0}, {1, 2, 0}, {3, 1, 0}, {3, 1, 1}, {3, 2, 0}, {3, 2, 1}};
    return TestBackends.plain()
        .flatMap(
            k ->
                Arrays.stream(kSP).map(g -> Arguments.of(Named.of(k.name(), k), g[0], g[1], g[2])));
  }

  @ParameterizedTest(name = "{0} k={1} stride={2} pad={3}")
  @MethodSource("geometries")
  void gradientMatchesFiniteDifferences(Kernels k, int kernel, int stride, int pad) {
    long seed = 100 + kernel * 100 + stride * 10 + pad;
    Tensor x = TestData.leaf(seed, 2, 3, 5, 7);
    Tensor w = TestData.leaf(seed + 1, 4, 3, kernel, kernel);
    GradCheck.check(
        "Conv2d x[2,3,5,7] w[4,3," + kernel + "," + kernel + "] stride " + stride + " pad " + pad,
        k,
        seed,
        ctx -> Conv2d.forward(ctx, x, w, 4, stride, pad),
        x,
        w);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void weightOnlyGradientLeavesConstantInputAlone(Kernels k) {
    long seed = 17;
    Tensor x = TestData.constant(seed, -1f, 1f, 1, 2, 4, 3);
    Tensor w = TestData.leaf(seed + 1, 3, 2, 3, 3);
    // GradCheck also asserts that x (no grad) gets no gradient buffer.
    GradCheck.check("Conv2d weight-only", k, seed, ctx -> Conv2d.forward(ctx, x, w, 3, 1, 1), x, w);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void slicedPrefixGradientAndZeroOutside(Kernels k) {
    long seed = 4242;
    // Input a view at an offset into a bigger array; weight [6, 5, 3, 3] used at cin 3, cout 4,
    // itself a view at an offset (as when parameters are packed in one array).
    Tensor x = TestData.viewLeaf(seed, 5, 2, 3, 5, 7);
    Tensor w = TestData.viewLeaf(seed + 1, 3, 6, 5, 3, 3);
    String label = "Conv2d prefix x[2,3,5,7] w[6,5,3,3] cout 4 stride 2 pad 1";
    GradCheck.Result r =
        GradCheck.check(label, k, seed, ctx -> Conv2d.forward(ctx, x, w, 4, 2, 1), x, w);
    GradCheck.assertZeroOutside(
        label + " seed " + seed,
        r.grad(w),
        w.shape(),
        new int[] {0, 0, 0, 0},
        new int[] {4, 3, 3, 3});
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void prefixOfBigWeightEqualsCopiedSmallWeight(Kernels k) {
    long seed = 77;
    int cin = 3;
    int cout = 4;
    Tensor x1 = TestData.leaf(seed, 2, cin, 6, 5);
    Tensor x2 = Tensor.of(x1.toArray(), x1.shape());
    x2.setRequiresGrad(true);
    Tensor big = TestData.leaf(seed + 1, 6, 5, 3, 3);
    Tensor small = TestData.copyPrefix(big, cout, cin, 3, 3);
    small.setRequiresGrad(true);

    Tape t1 = new Tape();
    Tensor y1 = Conv2d.forward(Context.train(k, t1, null), x1, big, cout, 2, 1);
    Tape t2 = new Tape();
    Tensor y2 = Conv2d.forward(Context.train(k, t2, null), x2, small, cout, 2, 1);
    String label = "Conv2d slice equivalence seed " + seed;
    SliceAsserts.assertClose(label + " output", y2.toArray(), y1.toArray());

    float[] seedGrad = TestData.uniform(seed + 2, y1.size(), -1f, 1f);
    t1.backward(y1, seedGrad);
    t2.backward(y2, seedGrad);
    SliceAsserts.assertClose(label + " dx", x2.grad(), x1.grad());
    SliceAsserts.assertClose(
        label + " dW prefix",
        small.grad(),
        TestData.copyPrefix(Tensor.of(big.grad(), big.shape()), cout, cin, 3, 3).toArray());
    GradCheck.assertZeroOutside(
        label + " dW",
        big.grad(),
        big.shape(),
        new int[] {0, 0, 0, 0},
        new int[] {cout, cin, 3, 3});
  }

  @Test
  void rejectsShapesThatDoNotFit() {
    Context ctx = Context.inference(TestBackends.scalar());
    Tensor x = Tensor.zeros(1, 3, 5, 5);
    Tensor w = Tensor.zeros(4, 3, 3, 3);
    var e = assertThrows(IllegalArgumentException.class, () -> Conv2d.forward(ctx, x, w, 5, 1, 0));
    assertTrue(
        e.getMessage().contains("[1, 4]") && e.getMessage().contains("found 5"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Conv2d.forward(ctx, Tensor.zeros(1, 4, 5, 5), w, 4, 1, 0));
    assertTrue(e.getMessage().contains("found 4"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Conv2d.forward(ctx, Tensor.zeros(3, 5, 5), w, 4, 1, 0));
    assertTrue(e.getMessage().contains("expected rank 4"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Conv2d.forward(ctx, x, w, 4, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> Conv2d.forward(ctx, x, w, 4, 1, -1));
    assertThrows(
        IllegalArgumentException.class,
        () -> Conv2d.forward(ctx, Tensor.zeros(1, 3, 2, 2), w, 4, 1, 0));
    assertEquals(4, Conv2d.forward(ctx, x, w, 4, 2, 1).dim(1));
  }
}
