package org.slimj.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.slimj.engine.dist.Collective;
import org.slimj.engine.dist.LocalCollective;
import org.slimj.engine.kernels.Backends;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.models.SmallCnn;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.optim.LrSchedule;
import org.slimj.engine.optim.Sgd;
import org.slimj.engine.train.BatchSource;
import org.slimj.engine.train.RandomBatches;
import org.slimj.engine.train.SandwichStrategy;
import org.slimj.engine.train.TrainingRun;

/**
 * Data-parallel training over three Hazelcast members (uneven all-reduce chunks) ends with the
 * same weights, bit for bit, as over the in-process collective: both sum in rank order.
 */
class HazelcastTrainingTest {
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");
  private static final long SEED = 41;
  private static final int RANKS = 3;
  private static final int BATCH = 9;
  private static final int SIZE = 12;
  private static final int STEPS = 3;

  private static BatchSource data() {
    return RandomBatches.source(SEED, STEPS, BATCH, SIZE);
  }

  /** Trains one rank over {@code c} and returns its weights, parameter by parameter. */
  private static List<float[]> train(Collective c) {
    SlimModel m = new SmallCnn(1, SIZE, 10, new int[] {6, 8, 10}, BnKind.UNIVERSAL, new double[] {0.25, 1.0},
        new SplittableRandom(SEED));
    Sgd sgd = new Sgd(m.parameters(), 0.9, true, 1e-4);
    new TrainingRun(m, Backends.choose("scalar", 1).kernels(), new SandwichStrategy(0.25, 1.0, 3, 0f, true), sgd,
        new LrSchedule(0.1, 1, STEPS, LrSchedule.Shape.COSINE), SEED).dataParallel(c)
        .run(data(), 0, 1, 0, new TrainingRun.Listener() {});
    c.barrier();
    List<float[]> w = new ArrayList<>();
    for (Parameter p : m.parameters()) {
      w.add(p.tensor().toArray());
    }
    return w;
  }

  private static List<List<float[]>> onRanks(List<? extends Collective> ranks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(ranks.size());
    try {
      List<Future<List<float[]>>> fs = new ArrayList<>();
      for (Collective c : ranks) {
        fs.add(pool.submit(() -> train(c)));
      }
      List<List<float[]>> out = new ArrayList<>();
      for (Future<List<float[]>> f : fs) {
        out.add(f.get(120, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
      for (Collective c : ranks) {
        c.close();
      }
    }
  }

  @Test
  void threeHazelcastMembersTrainBitIdenticalToTheInProcessCollective() throws Exception {
    HAZELCAST_LOG.setLevel(Level.WARNING);
    List<List<float[]>> local = onRanks(LocalCollective.group(RANKS, Duration.ofSeconds(60)));
    List<List<float[]>> hz = onRanks(HazelcastCollectiveTest.start(RANKS, "slimj-test-training"));
    for (int r = 0; r < RANKS; r++) {
      assertEquals(local.get(0).size(), hz.get(r).size());
      for (int p = 0; p < local.get(0).size(); p++) {
        assertArrayEquals(local.get(0).get(p), hz.get(r).get(p),
            "parameter " + p + " of Hazelcast rank " + r + " vs in-process rank 0 (seed " + SEED + ")");
      }
    }
  }
}
