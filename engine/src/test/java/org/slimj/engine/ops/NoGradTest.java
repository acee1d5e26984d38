package org.slimj.engine.ops;

import org.slimj.engine.TestBackends;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Tensor;

/**
 * In no-grad mode, or when no input needs a gradient, ops record nothing and allocate no gradients.
 */
class NoGradTest {

  /** Runs every op once; returns every tensor involved (inputs, parameters and outputs). */
  private static List<Tensor> runAll(Context ctx, boolean paramsNeedGrad) {
    long seed = 1401;
    List<Tensor> all = new ArrayList<>();
    Tensor x = TestData.constant(seed, -1f, 1f, 2, 3, 6, 6);
    Tensor convW = TestData.constant(seed + 1, -1f, 1f, 6, 4, 3, 3);
    Tensor dwW = TestData.constant(seed + 2, -1f, 1f, 6, 1, 3, 3);
    Tensor gamma = TestData.constant(seed + 3, 0.5f, 1.5f, 8);
    Tensor beta = TestData.constant(seed + 4, -0.5f, 0.5f, 8);
    Tensor linW = TestData.constant(seed + 5, -1f, 1f, 7, 6);
    Tensor linB = TestData.constant(seed + 6, -1f, 1f, 7);
    for (Tensor p : List.of(x, convW, dwW, gamma, beta, linW, linB)) {
      p.setRequiresGrad(paramsNeedGrad);
      all.add(p);
    }
    Tensor c = Conv2d.forward(ctx, x, convW, 5, 1, 1);
    Tensor d = DepthwiseConv2d.forward(ctx, c, dwW, 2, 1);
    Tensor bn = BatchNorm.forwardTrain(ctx, d, gamma, beta, 2, 1e-5f, new float[5], new float[5]);
    Tensor be =
        BatchNorm.forwardEval(
            ctx, bn, gamma, beta, 0, new float[5], new float[] {1, 1, 1, 1, 1}, 1e-5f);
    Tensor r = Relu.forward(ctx, be);
    Tensor r6 = Relu6.forward(ctx, bn);
    Tensor s = Add.forward(ctx, r, r6);
    Tensor dr = Dropout.forward(ctx, s, 0.2f);
    Tensor g = GlobalAvgPool.forward(ctx, dr);
    Tensor f = Flatten.forward(ctx, dr);
    Tensor l = Linear.forward(ctx, g, linW, linB, 4);
    Tensor ce = SoftmaxCrossEntropy.forward(ctx, l, new int[] {1, 3}, 0.1f);
    Tensor kd = DistillationLoss.forward(ctx, l, Softmax.probabilities(ctx.kernels(), l));
    all.addAll(List.of(c, d, bn, be, r, r6, s, dr, g, f, l, ce, kd));
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void inferenceRecordsNothingAndAllocatesNoGradient(Kernels k) {
    Context inference = new Context(k, null, true, new SplittableRandom(1));
    assertNull(inference.tape());
    for (Tensor t : runAll(inference, true)) {
      assertNull(t.gradOrNull(), "gradient buffer allocated for " + t);
    }
    for (Tensor t : runAll(Context.inference(k), true)) {
      assertNull(t.gradOrNull(), "gradient buffer allocated for " + t);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void tapeStaysEmptyWhenNothingNeedsAGradient(Kernels k) {
    Tape tape = new Tape();
    for (Tensor t : runAll(Context.train(k, tape, new SplittableRandom(1)), false)) {
      assertFalse(t.requiresGrad(), "output marked as needing a gradient: " + t);
      assertNull(t.gradOrNull(), "gradient buffer allocated for " + t);
    }
    assertEquals(0, tape.size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void everyOpRecordsWhenAnInputNeedsAGradient(Kernels k) {
    Tape tape = new Tape();
    List<Tensor> all = runAll(Context.train(k, tape, new SplittableRandom(1)), true);
    assertEquals(13, tape.size(), "one entry per op (Softmax.probabilities is never recorded)");
    for (Tensor t : all) {
      assertTrue(t.requiresGrad(), "not recorded: " + t);
      assertNull(t.gradOrNull(), "forward allocated a gradient for " + t);
    }
    tape.clear();
  }
}
