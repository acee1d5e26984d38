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
   * Bytes per step allowed. What a step still allocates is bookkeeping per op and per kernel call
   * (a backward closure, a tensor header and its shape, a convolution geometry record, the lambda
   * handed to the worker pool: 100-300 bytes each), about 0.35 MB for this model's ~800 ops and
   * calls (measured on AVX-512, 2026-11-21). What the bound is for: a Vector API operation that C2
   * does not intrinsify, or whose result it cannot keep in a register, boxes a vector (~100 bytes)
   * per operation, i.e. hundreds of megabytes per step (359 MB for this test before the fix); and
   * per-image or per-element allocation in a kernel, several megabytes. 1 MB leaves a margin of
   * three over the bookkeeping and catches both.
   */
  static final long BOUND_BYTES = 1_000_000;

  /**
   * Warm-up steps at most: the Vector API allocates in the interpreter and in C1 code until C2 has
   * compiled the hot kernels, which takes 10-30 steps here (the compiler threads run in the
   * background, so a loaded machine needs more steps, never a different result).
   */
  static final int MAX_STEPS = 200;

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
