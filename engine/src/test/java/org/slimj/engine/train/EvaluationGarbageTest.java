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
import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Backends;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.MobileNetV2;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.ops.SoftmaxCrossEntropy;
import org.slimj.engine.tensor.Tensor;

/**
 * Validation reuses one chunk's activation memory across batches (issue 10: its garbage, one set of
 * activations per batch, grew the training JVM's heap past PyTorch's RSS). On the scalar backend (no
 * JIT-dependent boxing), evaluating 8 batches may allocate at most a quarter of one batch's
 * allocation more than evaluating 1; allocating every op output anew costs 7 batches more.
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
    SlimModel m = new MobileNetV2(0.5, 1, 16, 4, BnKind.SHARED, new double[] {0.5}, new SplittableRandom(seed));
    ChannelConfig cfg = m.uniform(0.5);
    List<Batch> all = batches(BATCHES, seed);
    assertFlat("evaluation", seed, () -> () -> Evaluator.evaluate(m, k, cfg, all.subList(0, 1)),
        () -> () -> Evaluator.evaluate(m, k, cfg, all));
    assertEquals(BATCHES * 8, Evaluator.evaluate(m, k, cfg, all).count());
  }

  /** Chunking changes no result: a batch of 40 images (chunks of 32 and 8) as one whole-batch pass. */
  @Test
  void chunksGiveTheWholeBatchResult() {
    long seed = 93;
    Kernels k = Backends.choose("vector", 1).kernels();
    SlimModel m =
        new MobileNetV2(1.0, 1, 16, 4, BnKind.UNIVERSAL, new double[] {0.35, 1.0}, new SplittableRandom(seed));
    ChannelConfig cfg = m.uniform(0.75);
    List<Batch> small = batches(5, seed);
    Calibrator.calibrate(m, k, cfg, small);
    Tensor x = Tensor.zeros(40, 1, 16, 16);
    int[] y = new int[40];
    for (int i = 0; i < 5; i++) {
      System.arraycopy(small.get(i).images().toArray(), 0, x.data(), i * 8 * 256, 8 * 256);
      System.arraycopy(small.get(i).labels(), 0, y, i * 8, 8);
    }
    Evaluator.Result r = Evaluator.evaluate(m, k, cfg, List.of(new Batch(x, y)));
    Context plain = Context.inference(k);
    Tensor logits = m.forward(plain, x, cfg);
    double loss = SoftmaxCrossEntropy.forward(plain, logits, y, 0f).item();
    assertEquals(40, r.count());
    assertEquals(Evaluator.countCorrect(logits, y) / 40.0, r.accuracy(), 1e-12, "seed " + seed);
    assertEquals(loss, r.loss(), 1e-5 * Math.abs(loss), "seed " + seed);
  }
}
