package org.slimj.engine.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slimj.engine.TestBackends;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.kernels.Backends;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.MobileNetV2;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.optim.Sgd;
import org.slimj.engine.tensor.Tensor;

/**
 * The steady state of training makes (almost) no garbage: after warm-up steps, a sandwich step of
 * a small MobileNet v2 on the Vector API backend in one thread allocates at most {@link
 * #BOUND_BYTES} on the training thread (measured by the JVM's per-thread allocation counter).
 */
class TrainingGarbageTest {
  /**
   * Bytes per step allowed. A step records a few hundred ops (each a tape entry, a backward closure
   * and a tensor object: ~100-200 bytes) and runs a few hundred kernel calls; a Vector API
   * operation that the JIT failed to intrinsify boxes a vector (~100 bytes) per vector operation,
   * i.e. megabytes per step, which is what this bound catches.
   */
  static final long BOUND_BYTES = 400_000;

  /** Warm-up steps at most: the Vector API allocates until C2 has compiled the hot kernels. */
  static final int MAX_STEPS = 60;

  /** Consecutive steps that must stay under the bound. */
  static final int QUIET_STEPS = 3;

  @Test
  void sandwichStepsStopAllocatingOnceCompiled() {
    long seed = 81;
    Kernels k = Backends.choose("vector", 1).kernels();
    SlimModel m = new MobileNetV2(1.0, 3, 16, 10, BnKind.UNIVERSAL, new double[] {0.35, 1.0}, new SplittableRandom(seed));
    Tape tape = new Tape();
    Sgd sgd = new Sgd(m.parameters(), 0.9, true, 1e-4);
    Tensor x = Tensor.zeros(8, 3, 16, 16);
    TestBackends.randn(x, new SplittableRandom(seed));
    int[] y = {0, 1, 2, 3, 4, 5, 6, 7};
    TrainingStrategy s = new FixedWidthsSandwich(new double[] {1.0, 0.35, 0.75, 0.5}, 0f, true);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long[] history = new long[MAX_STEPS];
    int quiet = 0;
    int step = 0;
    for (; step < MAX_STEPS && quiet < QUIET_STEPS; step++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      sgd.zeroGrad();
      s.accumulate(m, k, tape, x, y, Seeds.forStep(seed, 1, step));
      sgd.step(0.01);
      history[step] = threads.getCurrentThreadAllocatedBytes() - before;
      quiet = history[step] <= BOUND_BYTES ? quiet + 1 : 0;
    }
    StringBuilder tail = new StringBuilder();
    for (int i = Math.max(0, step - 10); i < step; i++) {
      tail.append(' ').append(history[i]);
    }
    System.out.println("TrainingGarbageTest: " + step + " steps, bytes of the last:" + tail);
    assertTrue(quiet >= QUIET_STEPS,
        "expected " + QUIET_STEPS + " consecutive steps allocating at most " + BOUND_BYTES + " bytes within "
            + MAX_STEPS + " steps (seed " + seed + "); bytes per step of the last steps:" + tail);
  }
}
