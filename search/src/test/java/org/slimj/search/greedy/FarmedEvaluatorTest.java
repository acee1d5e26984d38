package org.slimj.search.greedy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slimj.engine.dist.Collective;
import org.slimj.engine.dist.LocalCollective;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.space.LayerKind;
import org.slimj.engine.space.LayerSpec;
import org.slimj.engine.space.Slot;
import org.slimj.search.cost.MacsCost;
import org.slimj.search.cost.ParamsCost;

/**
 * Farmed-out greedy slimming (issue 12): W workers, each evaluating its share of every step's
 * candidates, take exactly the single-machine path with the same doubles, and each configuration is
 * evaluated once in all (not once per worker).
 */
class FarmedEvaluatorTest {
  private static final MacsCost MACS = new MacsCost();

  private static ChannelSpace space(int... max) {
    List<Slot> slots = new ArrayList<>();
    for (int i = 0; i < max.length; i++) {
      slots.add(new Slot("s" + i, max[i], max[i], 1, 1, false));
    }
    List<LayerSpec> layers = new ArrayList<>();
    layers.add(new LayerSpec("l0", LayerKind.CONV, 3, 1, 8, -1, 3, 0, 0, true, false));
    for (int i = 1; i < max.length; i++) {
      layers.add(new LayerSpec("l" + i, LayerKind.CONV, 3, 1, 8, i - 1, 0, i, 0, true, false));
    }
    layers.add(new LayerSpec("fc", LayerKind.LINEAR, 1, 1, 1, max.length - 1, 0, -1, 10, false, true));
    return new ChannelSpace(slots, layers);
  }

  /** A deterministic, irregular error (a hash of the configuration), with ties and negative values. */
  private static double error(ChannelConfig c, long seed) {
    long h = seed;
    for (int x : c.toArray()) {
      h = h * 0x9E3779B97F4A7C15L + x;
      h ^= h >>> 29;
    }
    double noise = ((h & 0xFFFF) / 65536.0) * 0.01;
    double removed = 0;
    for (int i = 0; i < c.size(); i++) {
      removed += 1.0 / (1 + c.get(i));
    }
    return removed + noise - 0.3 + (h % 7 == 0 ? 1e-300 : 0);
  }

  private static GreedySlimming search(ChannelSpace sp) {
    double max = MACS.cost(sp, sp.max());
    List<GreedySlimming.Target> targets = List.of(GreedySlimming.Target.atMost("macs", 0.7 * max),
        GreedySlimming.Target.atMost("macs", 0.4 * max), GreedySlimming.Target.atMost("macs", 0.15 * max));
    return new GreedySlimming(sp, MACS, targets, 8, 1, List.of(new ParamsCost()), "error");
  }

  @Test
  void workersTakeTheSingleMachinePathAndEvaluateEachConfigurationOnce() throws Exception {
    for (long seed = 1; seed <= 6; seed++) {
      SplittableRandom rnd = new SplittableRandom(seed);
      ChannelSpace sp = space(8 + rnd.nextInt(20), 5 + rnd.nextInt(30), 6 + rnd.nextInt(40), 4 + rnd.nextInt(30));
      long s = seed;
      AtomicInteger singleCalls = new AtomicInteger();
      CachingEvaluator single = new CachingEvaluator(c -> {
        singleCalls.incrementAndGet();
        return error(c, s);
      });
      GreedySlimming.Result expected = search(sp).run(single, null);
      for (int workers = 2; workers <= 3; workers++) {
        List<Collective> ranks = LocalCollective.group(workers, Duration.ofSeconds(30));
        AtomicInteger farmedCalls = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<GreedySlimming.Result>> results = new ArrayList<>();
        List<FarmedEvaluator> farms = new ArrayList<>();
        for (Collective c : ranks) {
          FarmedEvaluator farm = new FarmedEvaluator(cfg -> {
            farmedCalls.incrementAndGet();
            return error(cfg, s);
          }, c);
          farms.add(farm);
          results.add(pool.submit(() -> search(sp).run(new CachingEvaluator(farm), null)));
        }
        String why = "seed " + seed + ", " + workers + " workers, space " + sp.max();
        for (Future<GreedySlimming.Result> f : results) {
          GreedySlimming.Result r = f.get();
          assertEquals(expected.trajectory().size(), r.trajectory().size(), why);
          for (int i = 0; i < r.trajectory().size(); i++) {
            GreedySlimming.Step a = expected.trajectory().get(i);
            GreedySlimming.Step b = r.trajectory().get(i);
            assertEquals(a.config(), b.config(), "step " + i + "; " + why);
            assertEquals(Double.doubleToRawLongBits(a.error()), Double.doubleToRawLongBits(b.error()),
                "step " + i + " error bits; " + why);
          }
          assertEquals(expected.found().size(), r.found().size(), why);
          for (int i = 0; i < r.found().size(); i++) {
            assertArrayEquals(expected.found().get(i).config().toArray(), r.found().get(i).config().toArray(), why);
          }
        }
        pool.shutdown();
        assertEquals(singleCalls.get(), farmedCalls.get(), "each configuration evaluated once over all workers; " + why);
        int least = Integer.MAX_VALUE;
        for (FarmedEvaluator f : farms) {
          least = Math.min(least, f.evaluatedHere());
        }
        assertTrue(least >= singleCalls.get() / workers - expected.trajectory().size(),
            "every worker takes its share (least " + least + " of " + singleCalls.get() + "); " + why);
        for (Collective c : ranks) {
          c.close();
        }
      }
    }
  }

  @Test
  void errorsCrossTheSumBitForBit() throws Exception {
    double[] values = {0.0, -0.0, 1e-300, -1e-300, 0.1, 1.0 / 3, Double.MAX_VALUE, -7.25, Double.MIN_VALUE,
        Double.POSITIVE_INFINITY};
    List<ChannelConfig> cfgs = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      cfgs.add(ChannelConfig.of(i + 1));
    }
    List<Collective> ranks = LocalCollective.group(3, Duration.ofSeconds(30));
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<double[]>> out = new ArrayList<>();
    for (Collective c : ranks) {
      FarmedEvaluator f = new FarmedEvaluator(cfg -> values[cfg.get(0) - 1], c);
      out.add(pool.submit(() -> f.errors(cfgs)));
    }
    for (Future<double[]> f : out) {
      double[] got = f.get();
      for (int i = 0; i < values.length; i++) {
        assertEquals(Double.doubleToRawLongBits(values[i]), Double.doubleToRawLongBits(got[i]), "value " + values[i]);
      }
    }
    pool.shutdown();
  }
}
