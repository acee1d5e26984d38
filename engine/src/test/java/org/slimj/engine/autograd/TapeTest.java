package org.slimj.engine.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slimj.engine.TestBackends;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.kernels.ScalarKernels;
import org.slimj.engine.nn.slim.SlimLinear;
import org.slimj.engine.ops.Relu;
import org.slimj.engine.ops.SoftmaxCrossEntropy;
import org.slimj.engine.tensor.Tensor;

/** The tape: reverse walk, accumulation across backward passes, and no-grad mode. */
class TapeTest {
  private final Kernels k = new ScalarKernels();

  private float loss(SlimLinear fc, Tensor x, int[] y, Tape tape, int out) {
    Context ctx = tape == null ? Context.inference(k) : Context.train(k, tape, null);
    Tensor l = SoftmaxCrossEntropy.forward(ctx, Relu.forward(ctx, fc.forward(ctx, x, out)), y, 0f);
    float v = l.item();
    if (tape != null) {
      tape.backward(l);
    }
    return v;
  }

  @Test
  void twoBackwardPassesAccumulateIntoTheSameParameterGradients() {
    long seed = 31;
    SplittableRandom rng = new SplittableRandom(seed);
    SlimLinear fc = new SlimLinear("fc", 6, 5, true, rng);
    TestBackends.randn(fc.weight(), rng);
    Tensor x = Tensor.zeros(4, 6);
    TestBackends.randn(x, rng);
    int[] y = {0, 1, 2, 3};
    Tape tape = new Tape();
    loss(fc, x, y, tape, 5);
    float[] g1 = fc.weight().grad().clone();
    fc.weight().zeroGrad();
    loss(fc, x, y, tape, 4);
    float[] g2 = fc.weight().grad().clone();
    fc.weight().zeroGrad();
    loss(fc, x, y, tape, 5);
    loss(fc, x, y, tape, 4);
    for (int i = 0; i < g1.length; i++) {
      assertEquals(g1[i] + g2[i], fc.weight().grad()[i], 1e-6f, "seed " + seed + " accumulated gradient " + i);
    }
    assertEquals(0, tape.size(), "backward clears the tape");
  }

  @Test
  void inferenceRecordsNothingAndAllocatesNoGradients() {
    SplittableRandom rng = new SplittableRandom(32);
    SlimLinear fc = new SlimLinear("fc", 3, 3, true, rng);
    Tensor x = Tensor.zeros(2, 3);
    TestBackends.randn(x, rng);
    loss(fc, x, new int[] {0, 2}, null, 3);
    assertNull(fc.weight().gradOrNull());
    assertNull(fc.bias().gradOrNull());
  }

  @Test
  void backwardNeedsARecordedScalar() {
    Tape tape = new Tape();
    Tensor notScalar = Tensor.zeros(2);
    assertThrows(IllegalArgumentException.class, () -> tape.backward(notScalar));
    assertThrows(IllegalStateException.class, () -> tape.backward(Tensor.zeros(1)));
  }
}
