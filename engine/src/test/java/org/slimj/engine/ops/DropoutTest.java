package org.slimj.engine.ops;

import org.slimj.engine.TestBackends;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Tensor;

class DropoutTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void gradientMatchesFiniteDifferencesWithAFixedMask(Kernels k) {
    long seed = 1001;
    Tensor x = TestData.viewLeaf(seed, 3, 3, 4, 5);
    // GradCheck gives every evaluation a fresh generator from the same seed: same mask each time.
    GradCheck.check("Dropout p 0.3 x[3,4,5]", k, seed, ctx -> Dropout.forward(ctx, x, 0.3f), x);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void dropsAboutPAndScalesSurvivors(Kernels k) {
    long seed = 1002;
    float p = 0.3f;
    Tensor x = TestData.constant(seed, 1f, 2f, 100, 100);
    Tensor y = Dropout.forward(Context.train(k, new Tape(), new SplittableRandom(seed)), x, p);
    int dropped = 0;
    for (int i = 0; i < x.size(); i++) {
      if (y.get(i) == 0f) {
        dropped++;
      } else if (Math.abs(y.get(i) - x.get(i) / (1 - p)) > 1e-6f * Math.abs(y.get(i))) {
        fail(
            "survivor "
                + i
                + " expected "
                + x.get(i) / (1 - p)
                + ", found "
                + y.get(i)
                + " seed "
                + seed);
      }
    }
    double frac = dropped / (double) x.size();
    assertTrue(
        Math.abs(frac - p) < 0.02, "dropped fraction " + frac + " for p " + p + " seed " + seed);
  }

  @Test
  void identityWhenNotTrainingOrPZero() {
    Kernels k = TestBackends.scalar();
    Tensor x = TestData.leaf(1003, 4, 5);
    Tape tape = new Tape();
    assertSame(x, Dropout.forward(new Context(k, tape, false, new SplittableRandom(1)), x, 0.5f));
    assertSame(x, Dropout.forward(Context.train(k, tape, new SplittableRandom(1)), x, 0f));
    assertSame(x, Dropout.forward(Context.inference(k), x, 0.5f));
    assertEquals(0, tape.size());
  }

  @Test
  void rejectsBadProbabilityAndMissingGenerator() {
    Kernels k = TestBackends.scalar();
    Tensor x = Tensor.zeros(4);
    Context ctx = Context.train(k, new Tape(), new SplittableRandom(1));
    for (float p : new float[] {1f, -0.1f, Float.NaN, 2f}) {
      var e = assertThrows(IllegalArgumentException.class, () -> Dropout.forward(ctx, x, p));
      assertTrue(e.getMessage().contains("found " + p), e.getMessage());
    }
    assertThrows(
        IllegalStateException.class,
        () -> Dropout.forward(Context.train(k, new Tape(), null), x, 0.5f));
  }
}
