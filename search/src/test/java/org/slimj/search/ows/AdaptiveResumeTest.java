package org.slimj.search.ows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.engine.io.Checkpoint;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.kernels.ScalarKernels;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.optim.LrSchedule;
import org.slimj.engine.optim.Sgd;
import org.slimj.engine.tensor.Tensor;
import org.slimj.engine.train.Batch;
import org.slimj.engine.train.BatchSource;
import org.slimj.engine.train.OwsCredits;
import org.slimj.engine.train.OwsStrategy;
import org.slimj.engine.train.Seeds;
import org.slimj.engine.train.TrainingRun;
import org.slimj.search.cost.MacsCost;

/** An AOWS run resumed after its warm-up samples and trains exactly as the uninterrupted run. */
class AdaptiveResumeTest {
  private static final ModelSpec SPEC = new ModelSpec("smallcnn", 0.5, 1, 8, 3, BnKind.UNIVERSAL, new double[] {1.0});
  private static final int GROUPS = 4;
  private final Kernels k = new ScalarKernels();

  private static BatchSource data(long seed) {
    return new BatchSource() {
      @Override
      public Iterable<Batch> epoch(int epoch) {
        SplittableRandom r = Seeds.forStep(seed, 9, epoch);
        return () -> java.util.stream.IntStream.range(0, 3).mapToObj(i -> {
          Tensor x = Tensor.zeros(4, 1, 8, 8);
          for (int j = 0; j < x.size(); j++) {
            x.set(j, (float) r.nextGaussian());
          }
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

  private static OwsStrategy strategy(SlimModel m, AdaptiveSampler.Mix mix) {
    OwsCredits credits = new OwsCredits(m.space().slots().size(), GROUPS, 100);
    double full = m.space().macs(m.space().max());
    List<AdaptiveSampler.Target> ts = mix == AdaptiveSampler.Mix.SINGLE
        ? List.of(new AdaptiveSampler.Target("macs", new MacsCost(), 0.5 * full, 1))
        : List.of(new AdaptiveSampler.Target("a", new MacsCost(), 0.4 * full, 0.7),
            new AdaptiveSampler.Target("b", new MacsCost(), 0.8 * full, 0.3));
    AdaptiveSampler s = new AdaptiveSampler(m.space(), GROUPS, 1, credits, ts, mix, new AowsTemperature(4, 1),
        AdaptiveSampler.Draw.MARGINALS);
    return new OwsStrategy(GROUPS, 1, 4, 0f, true, 1 << 20, credits, s);
  }

  @Test
  void resumedAdaptiveRunsEqualTheUninterruptedOnes(@TempDir Path dir) throws IOException {
    for (AdaptiveSampler.Mix mix : AdaptiveSampler.Mix.values()) {
      long seed = 91;
      LrSchedule sched = new LrSchedule(0.05, 1, 12, LrSchedule.Shape.COSINE);
      SlimModel straight = SPEC.build(new SplittableRandom(seed));
      OwsStrategy s1 = strategy(straight, mix);
      new TrainingRun(straight, k, s1, new Sgd(straight.parameters(), 0.9, true, 1e-4), sched, seed)
          .run(data(seed), 0, 4, 0, new TrainingRun.Listener() {});

      SlimModel first = SPEC.build(new SplittableRandom(seed));
      OwsStrategy s2 = strategy(first, mix);
      Sgd o2 = new Sgd(first.parameters(), 0.9, true, 1e-4);
      long next = new TrainingRun(first, k, s2, o2, sched, seed).run(data(seed), 0, 2, 0, new TrainingRun.Listener() {});
      Path ckpt = dir.resolve("aows-" + mix + ".safetensors");
      Checkpoint.save(ckpt, SPEC, first, o2, s2.state());

      Checkpoint.Loaded loaded = Checkpoint.load(ckpt);
      OwsStrategy s3 = strategy(loaded.model(), mix);
      s3.restore(loaded.metadata());
      Sgd o3 = new Sgd(loaded.model().parameters(), 0.9, true, 1e-4);
      Checkpoint.loadOptimizer(ckpt, o3);
      new TrainingRun(loaded.model(), k, s3, o3, sched, seed).run(data(seed), 2, 4, next, new TrainingRun.Listener() {});

      for (int i = 0; i < straight.parameters().size(); i++) {
        assertArrayEquals(straight.parameters().get(i).tensor().toArray(),
            loaded.model().parameters().get(i).tensor().toArray(), 0f, mix + ": parameter " + i + " (seed " + seed + ")");
      }
      for (int s = 0; s < s1.credits().slots(); s++) {
        assertArrayEquals(s1.credits().values()[s], s3.credits().values()[s], 0.0, mix + ": credits of slot " + s);
      }
    }
  }
}
