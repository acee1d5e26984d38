package org.slimj.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.slimj.engine.TestBackends;
import org.slimj.engine.kernels.Backends;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.MobileNetV2;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.tensor.Tensor;

/**
 * Validation and BN calibration reuse one batch's activation memory across batches (issue 10: their
 * garbage, one set of activations per batch, grew the training JVM's heap past PyTorch's RSS). On the
 * scalar backend (no JIT-dependent boxing), evaluating or calibrating over 8 batches may allocate at
 * most a quarter of one batch's allocation more than over 1 batch; allocating every op output anew
 * costs 7 batches more.
 */
class EvaluationGarbageTest {
  private static final int BATCHES = 8;

  private final Kernels k = Backends.choose("scalar", 1).kernels();

  private static List<Batch> batches(int count, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Batch> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Tensor x = Tensor.zeros(8, 1, 16, 16);
      TestBackends.randn(x, rng);
      int[] y = new int[8];
      for (int j = 0; j < y.length; j++) {
        y[j] = rng.nextInt(4);
      }
      out.add(new Batch(x, y));
    }
    return out;
  }

  /** Bytes the current thread allocates while {@code r} runs. */
  private static long allocated(Runnable r) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    r.run();
    return threads.getCurrentThreadAllocatedBytes() - before;
  }

  private static void assertFlat(String what, long seed, Supplier<Runnable> one, Supplier<Runnable> many) {
    one.get().run(); // warm-up: class loading and first compilations
    many.get().run();
    long a1 = allocated(one.get());
    long a8 = allocated(many.get());
    assertTrue(a8 - a1 <= a1 / 4, what + " (seed " + seed + "): 1 batch allocated " + a1 + " bytes, " + BATCHES
        + " batches " + a8 + " bytes: each batch allocates its activations anew");
  }

  @Test
  void evaluationReusesOneBatchOfActivations() {
    long seed = 91;
    SlimModel m = new MobileNetV2(1.0, 1, 16, 4, BnKind.SHARED, new double[] {1.0}, new SplittableRandom(seed));
    ChannelConfig cfg = m.uniform(1.0);
    List<Batch> all = batches(BATCHES, seed);
    assertFlat("evaluation", seed, () -> () -> Evaluator.evaluate(m, k, cfg, all.subList(0, 1)),
        () -> () -> Evaluator.evaluate(m, k, cfg, all));
    assertEquals(BATCHES * 8, Evaluator.evaluate(m, k, cfg, all).count());
  }

  @Test
  void calibrationReusesOneBatchOfActivations() {
    long seed = 92;
    SlimModel m =
        new MobileNetV2(1.0, 1, 16, 4, BnKind.UNIVERSAL, new double[] {0.35, 1.0}, new SplittableRandom(seed));
    ChannelConfig cfg = m.uniform(0.5);
    List<Batch> all = batches(BATCHES, seed);
    assertFlat("calibration", seed, () -> () -> Calibrator.calibrate(m, k, cfg, all.subList(0, 1)),
        () -> () -> Calibrator.calibrate(m, k, cfg, all));
  }

  /** The arena changes no result: evaluation after calibration equals a batch-by-batch sum. */
  @Test
  void resultsEqualPerBatchEvaluation() {
    long seed = 93;
    SlimModel m =
        new MobileNetV2(1.0, 1, 16, 4, BnKind.UNIVERSAL, new double[] {0.35, 1.0}, new SplittableRandom(seed));
    ChannelConfig cfg = m.uniform(0.75);
    List<Batch> all = batches(5, seed);
    Calibrator.calibrate(m, k, cfg, all);
    Evaluator.Result whole = Evaluator.evaluate(m, k, cfg, all);
    double loss = 0;
    double correct = 0;
    for (Batch b : all) {
      Evaluator.Result r = Evaluator.evaluate(m, k, cfg, List.of(b));
      loss += r.loss() * r.count();
      correct += r.accuracy() * r.count();
    }
    assertEquals(correct / whole.count(), whole.accuracy(), 1e-12, "seed " + seed);
    assertEquals(loss / whole.count(), whole.loss(), 1e-9, "seed " + seed);
  }
}
