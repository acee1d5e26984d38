package org.slimj.engine.ops;

import org.slimj.engine.TestBackends;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

class LinearTest {

  static Stream<Arguments> withAndWithoutBias() {
    return TestBackends.plain()
        .flatMap(k -> Stream.of(true, false).map(b -> Arguments.of(Named.of(k.name(), k), b)));
  }

  @ParameterizedTest(name = "{0} bias={1}")
  @MethodSource("withAndWithoutBias")
  void gradientMatchesFiniteDifferences(Kernels k, boolean withBias) {
    long seed = withBias ? 301 : 302;
    Tensor x = TestData.leaf(seed, 3, 5);
    Tensor w = TestData.leaf(seed + 1, 4, 5);
    Tensor b = withBias ? TestData.leaf(seed + 2, 4) : null;
    Tensor[] inputs = withBias ? new Tensor[] {x, w, b} : new Tensor[] {x, w};
    GradCheck.check(
        "Linear x[3,5] w[4,5] bias " + withBias,
        k,
        seed,
        ctx -> Linear.forward(ctx, x, w, b, 4),
        inputs);
  }

  @ParameterizedTest(name = "{0} bias={1}")
  @MethodSource("withAndWithoutBias")
  void slicedPrefixGradientAndZeroOutside(Kernels k, boolean withBias) {
    long seed = withBias ? 311 : 312;
    Tensor x = TestData.viewLeaf(seed, 3, 3, 4);
    Tensor w = TestData.viewLeaf(seed + 1, 1, 7, 6);
    Tensor b = withBias ? TestData.viewLeaf(seed + 2, 2, 7) : null;
    Tensor[] inputs = withBias ? new Tensor[] {x, w, b} : new Tensor[] {x, w};
    String label = "Linear prefix x[3,4] w[7,6] out 3 bias " + withBias;
    GradCheck.Result r =
        GradCheck.check(label, k, seed, ctx -> Linear.forward(ctx, x, w, b, 3), inputs);
    GradCheck.assertZeroOutside(
        label + " seed " + seed, r.grad(w), w.shape(), new int[] {0, 0}, new int[] {3, 4});
    if (withBias) {
      GradCheck.assertZeroOutside(
          label + " seed " + seed + " bias", r.grad(b), b.shape(), new int[] {0}, new int[] {3});
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void prefixOfBigWeightEqualsCopiedSmallWeight(Kernels k) {
    long seed = 79;
    int in = 5;
    int out = 3;
    Tensor x1 = TestData.leaf(seed, 4, in);
    Tensor x2 = Tensor.of(x1.toArray(), x1.shape());
    x2.setRequiresGrad(true);
    Tensor bigW = TestData.leaf(seed + 1, 8, 9);
    Tensor bigB = TestData.leaf(seed + 2, 8);
    Tensor smallW = TestData.copyPrefix(bigW, out, in);
    Tensor smallB = TestData.copyPrefix(bigB, out);
    smallW.setRequiresGrad(true);
    smallB.setRequiresGrad(true);

    Tape t1 = new Tape();
    Tensor y1 = Linear.forward(Context.train(k, t1, null), x1, bigW, bigB, out);
    Tape t2 = new Tape();
    Tensor y2 = Linear.forward(Context.train(k, t2, null), x2, smallW, smallB, out);
    String label = "Linear slice equivalence seed " + seed;
    SliceAsserts.assertClose(label + " output", y2.toArray(), y1.toArray());

    float[] seedGrad = TestData.uniform(seed + 3, y1.size(), -1f, 1f);
    t1.backward(y1, seedGrad);
    t2.backward(y2, seedGrad);
    SliceAsserts.assertClose(label + " dx", x2.grad(), x1.grad());
    SliceAsserts.assertClose(
        label + " dW prefix",
        smallW.grad(),
        TestData.copyPrefix(Tensor.of(bigW.grad(), bigW.shape()), out, in).toArray());
    SliceAsserts.assertClose(
        label + " db prefix",
        smallB.grad(),
        TestData.copyPrefix(Tensor.of(bigB.grad(), bigB.shape()), out).toArray());
    GradCheck.assertZeroOutside(
        label + " dW", bigW.grad(), bigW.shape(), new int[] {0, 0}, new int[] {out, in});
    GradCheck.assertZeroOutside(
        label + " db", bigB.grad(), bigB.shape(), new int[] {0}, new int[] {out});
  }

  @Test
  void rejectsShapesThatDoNotFit() {
    Context ctx = Context.inference(TestBackends.scalar());
    Tensor w = Tensor.zeros(4, 5);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Linear.forward(ctx, Tensor.zeros(2, 6), w, null, 4));
    assertTrue(e.getMessage().contains("found 6"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Linear.forward(ctx, Tensor.zeros(2, 5), w, null, 0));
    assertTrue(e.getMessage().contains("found 0"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Linear.forward(ctx, Tensor.zeros(2, 5), w, Tensor.zeros(3), 3));
    assertTrue(e.getMessage().contains("expected shape [4], found [3]"), e.getMessage());
  }
}
