package org.slimj.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.engine.TestBackends;
import org.slimj.engine.io.Checkpoint;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.optim.LrSchedule;
import org.slimj.engine.optim.Sgd;
import org.slimj.engine.tensor.Tensor;

/** An OWS run resumed from a checkpoint ends with the same weights and the same credits, bit for bit. */
class OwsResumeTest {
  private final Kernels k = TestBackends.plain().toList().get(1);
  private static final ModelSpec SPEC = new ModelSpec("smallcnn", 0.5, 1, 8, 3, BnKind.UNIVERSAL, new double[] {1.0});

  private static BatchSource data(long seed) {
    return new BatchSource() {
      @Override
      public Iterable<Batch> epoch(int epoch) {
        SplittableRandom r = Seeds.forStep(seed, 9, epoch);
        return () -> java.util.stream.IntStream.range(0, 3).mapToObj(i -> {
          Tensor x = Tensor.zeros(4, 1, 8, 8);
          TestBackends.randn(x, r);
          int[] y = new int[4];
          for (int j = 0; j < 4; j++) {
            y[j] = r.nextInt(3);
          }
          return new Batch(x, y);
        }).iterator();
      }

      @Override
      public int batchesPerEpoch() {
        return 3;
      }
    };
  }

  private static OwsStrategy strategy(SlimModel m) {
    TrainingMode.Settings s = new TrainingMode.Settings(0.25, 1.0, 4, 5, 0f, true, true, null);
    return (OwsStrategy) TrainingMode.OWS.strategy(m, s);
  }

  @Test
  void resumedRunHasTheSameWeightsAndCredits(@TempDir Path dir) throws IOException {
    long seed = 73;
    LrSchedule sched = new LrSchedule(0.05, 1, 9, LrSchedule.Shape.COSINE);
    SlimModel straight = SPEC.build(new SplittableRandom(seed));
    OwsStrategy s1 = strategy(straight);
    new TrainingRun(straight, k, s1, new Sgd(straight.parameters(), 0.9, true, 1e-4), sched, seed)
        .run(data(seed), 0, 3, 0, new TrainingRun.Listener() {});

    SlimModel first = SPEC.build(new SplittableRandom(seed));
    OwsStrategy s2 = strategy(first);
    Sgd o2 = new Sgd(first.parameters(), 0.9, true, 1e-4);
    long next = new TrainingRun(first, k, s2, o2, sched, seed).run(data(seed), 0, 2, 0, new TrainingRun.Listener() {});
    Path ckpt = dir.resolve("ows.safetensors");
    Map<String, String> meta = new LinkedHashMap<>(s2.state());
    Checkpoint.save(ckpt, SPEC, first, o2, meta);

    Checkpoint.Loaded loaded = Checkpoint.load(ckpt);
    OwsStrategy s3 = strategy(loaded.model());
    s3.restore(loaded.metadata());
    Sgd o3 = new Sgd(loaded.model().parameters(), 0.9, true, 1e-4);
    Checkpoint.loadOptimizer(ckpt, o3);
    new TrainingRun(loaded.model(), k, s3, o3, sched, seed).run(data(seed), 2, 3, next, new TrainingRun.Listener() {});

    for (int i = 0; i < straight.parameters().size(); i++) {
      assertArrayEquals(straight.parameters().get(i).tensor().toArray(),
          loaded.model().parameters().get(i).tensor().toArray(), 0f, "parameter " + i + " (seed " + seed + ")");
    }
    double[][] a = s1.credits().values();
    double[][] b = s3.credits().values();
    boolean any = false;
    for (int i = 0; i < a.length; i++) {
      assertArrayEquals(a[i], b[i], 0.0, "credits of slot " + i + " (seed " + seed + ")");
      assertArrayEquals(s1.credits().counts()[i], s3.credits().counts()[i], 0.0);
      for (double v : a[i]) {
        any |= v != 0;
      }
    }
    assertTrue(any, "credits were collected");
  }
}
