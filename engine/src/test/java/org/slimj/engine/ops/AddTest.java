package org.slimj.engine.ops;

import org.slimj.engine.TestBackends;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Tensor;

class AddTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void gradientMatchesFiniteDifferences(Kernels k) {
    long seed = 701;
    Tensor a = TestData.viewLeaf(seed, 4, 2, 3, 4);
    Tensor b = TestData.leaf(seed + 1, 2, 3, 4);
    GradCheck.check("Add [2,3,4]", k, seed, ctx -> Add.forward(ctx, a, b), a, b);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void gradientWithOneConstantOperand(Kernels k) {
    long seed = 702;
    Tensor a = TestData.constant(seed, -1f, 1f, 5, 3);
    Tensor b = TestData.leaf(seed + 1, 5, 3);
    GradCheck.check("Add constant + leaf [5,3]", k, seed, ctx -> Add.forward(ctx, a, b), a, b);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void sameTensorTwiceGetsTwiceTheGradient(Kernels k) {
    long seed = 703;
    Tensor x = TestData.leaf(seed, 3, 4);
    GradCheck.check("Add(x, x) [3,4]", k, seed, ctx -> Add.forward(ctx, x, x), x);

    x.clearGrad();
    Tape tape = new Tape();
    Tensor y = Add.forward(Context.train(k, tape, null), x, x);
    float[] r = TestData.uniform(seed + 1, y.size(), -1f, 1f);
    tape.backward(y, r);
    for (int i = 0; i < r.length; i++) {
      assertEquals(2f * r[i], x.grad()[i], 0f, "Add(x, x) gradient index " + i + " seed " + seed);
    }
  }

  @Test
  void rejectsDifferentShapes() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Add.forward(
                    Context.inference(TestBackends.scalar()),
                    Tensor.zeros(2, 3),
                    Tensor.zeros(3, 2)));
    assertTrue(e.getMessage().contains("expected shape [2, 3], found [3, 2]"), e.getMessage());
  }
}
