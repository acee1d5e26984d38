package org.slimj.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slimj.engine.TestBackends;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.MobileNetV2;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.optim.Sgd;
import org.slimj.engine.tensor.Tensor;

/**
 * Activations and intermediate gradients come from the tape's pool: once every size class a step
 * needs has been seen, training steps allocate no new activation or gradient memory.
 */
class SteadyStateAllocationTest {
  private final Kernels k = TestBackends.plain().toList().get(1);

  private long[] allocationAfterSteps(TrainingStrategy s, SlimModel m, int[] checkpoints, long seed) {
    Tape tape = new Tape();
    Sgd sgd = new Sgd(m.parameters(), 0.9, true, 1e-4);
    SplittableRandom rng = new SplittableRandom(seed);
    Tensor x = Tensor.zeros(8, 1, 16, 16);
    TestBackends.randn(x, rng);
    int[] y = {0, 1, 2, 3, 0, 1, 2, 3};
    long[] out = new long[checkpoints.length];
    int c = 0;
    for (int step = 1; step <= checkpoints[checkpoints.length - 1]; step++) {
      sgd.zeroGrad();
      s.accumulate(m, k, tape, x, y, Seeds.forStep(seed, 1, step));
      sgd.step(0.01);
      if (step == checkpoints[c]) {
        out[c++] = tape.allocatedFloats();
      }
    }
    return out;
  }

  @Test
  void fixedConfigurationsAllocateNothingAfterTheFirstSteps() {
    long seed = 71;
    double[] widths = {0.35, 0.5, 1.0};
    SlimModel m = new MobileNetV2(1.0, 1, 16, 4, BnKind.SWITCHABLE, widths, new SplittableRandom(seed));
    long[] a = allocationAfterSteps(new FixedWidthListStrategy(0f, false), m, new int[] {1, 3, 6}, seed);
    assertTrue(a[0] > 0, "the first step fills the pool");
    // narrow passes may borrow the wide pass's larger buffers, so the second step can still top up
    assertTrue(a[1] <= a[0] + a[0] / 20, "steps 2-3 mostly reuse the first step's buffers (seed " + seed + "): "
        + java.util.Arrays.toString(a));
    assertTrue(a[2] - a[1] <= a[0] / 1000, "steps 4-6 allocate next to nothing (seed " + seed + "): "
        + java.util.Arrays.toString(a));
  }

  @Test
  void randomWidthsStopAllocatingOnceTheirSizeClassesAreSeen() {
    long seed = 72;
    SlimModel m = new MobileNetV2(1.0, 1, 16, 4, BnKind.UNIVERSAL, new double[] {0.35, 1.0}, new SplittableRandom(seed));
    long[] a = allocationAfterSteps(new SandwichStrategy(0.35, 1.0, 4, 0f, true), m, new int[] {1, 30, 60}, seed);
    assertEquals(a[1], a[2], "no new buffers between steps 30 and 60 (seed " + seed + "): " + java.util.Arrays.toString(a));
    assertTrue(a[1] < 3 * a[0], "the pool stays bounded: " + java.util.Arrays.toString(a));
  }

  @Test
  void inferenceWithAnArenaAllocatesNothingAfterTheFirstPass() {
    long seed = 73;
    SlimModel m = new MobileNetV2(1.0, 1, 16, 4, BnKind.SHARED, new double[] {1.0}, new SplittableRandom(seed));
    org.slimj.engine.autograd.Arena arena = new org.slimj.engine.autograd.Arena();
    org.slimj.engine.autograd.Context ctx = org.slimj.engine.autograd.Context.inference(k, arena);
    Tensor x = Tensor.zeros(2, 1, 16, 16);
    TestBackends.randn(x, new SplittableRandom(seed));
    float[] first = null;
    long after1 = 0;
    for (int i = 0; i < 5; i++) {
      arena.reset();
      float[] logits = m.forward(ctx, x, m.uniform(1.0)).toArray();
      if (i == 0) {
        first = logits;
        after1 = arena.allocatedFloats();
      } else {
        org.junit.jupiter.api.Assertions.assertArrayEquals(first, logits, 0f, "same input, same logits (pass " + i + ")");
      }
    }
    assertEquals(after1, arena.allocatedFloats(), "passes 2-5 reuse the first pass's buffers");
  }
}
