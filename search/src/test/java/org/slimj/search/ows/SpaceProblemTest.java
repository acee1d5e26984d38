package org.slimj.search.ows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.space.LayerSpec;
import org.slimj.search.cost.LayerwiseCost;
import org.slimj.search.cost.MacsCost;

/** Exact elimination over real models' channel spaces against brute force on small candidate sets. */
class SpaceProblemTest {
  private static final String[] MODELS = {"smallcnn", "mobilenetv1", "mobilenetv2", "resnet20"};

  static ChannelSpace space(String arch) {
    return new ModelSpec(arch, 1.0, 1, 28, 10, BnKind.UNIVERSAL, new double[] {1.0}).build(new SplittableRandom(0))
        .space();
  }

  /** A pseudo-random positive latency-like cost, fixed per (layer, cin, cout). */
  static LayerwiseCost synthetic(long seed) {
    return new LayerwiseCost() {
      @Override
      public String name() {
        return "synthetic";
      }

      @Override
      public String unit() {
        return "ms";
      }

      @Override
      public double layerCost(LayerSpec layer, int cin, int cout) {
        long h = seed * 0x9E3779B97F4A7C15L + layer.name().hashCode() * 1_000_003L + cin * 7919L + cout;
        return new SplittableRandom(h).nextDouble() + 0.01 * cin * cout / 64.0;
      }
    };
  }

  /** Few candidates per slot (at most ~20,000 assignments), random scores. */
  static SpaceProblem random(ChannelSpace space, LayerwiseCost cost, SplittableRandom r) {
    return random(space, cost, r, 20_000);
  }

  static SpaceProblem random(ChannelSpace space, LayerwiseCost cost, SplittableRandom r, long cap) {
    int n = space.slots().size();
    int[][] ch = new int[n][];
    double[][] sc = new double[n][];
    long total = 1;
    for (int s = 0; s < n; s++) {
      int max = space.slots().get(s).max();
      int k = 1 + r.nextInt(3);
      if (total * k > cap) {
        k = 1;
      }
      total *= k;
      ch[s] = new int[k];
      sc[s] = new double[k];
      for (int j = 0; j < k; j++) {
        ch[s][j] = 1 + r.nextInt(max);
        sc[s][j] = r.nextGaussian();
      }
    }
    return new SpaceProblem(space, ch, sc, cost);
  }

  static void enumerate(SpaceProblem p, Consumer<int[]> visit) {
    int n = p.space().slots().size();
    int[] c = new int[n];
    while (true) {
      visit.accept(c.clone());
      int i = n - 1;
      while (i >= 0 && ++c[i] == p.choices(i)) {
        c[i] = 0;
        i--;
      }
      if (i < 0) {
        return;
      }
    }
  }

  @Test
  void costIsTheCostModelsCostOfTheConfiguration() {
    for (String m : MODELS) {
      ChannelSpace space = space(m);
      SplittableRandom r = new SplittableRandom(11);
      SpaceProblem p = random(space, new MacsCost(), r);
      enumerate(p, c -> assertEquals(space.macs(p.config(c)), p.cost(c), 1e-6 * space.macs(p.config(c)), m));
    }
  }

  @Test
  void maximumAndMarginalsEqualBruteForce() {
    for (String m : MODELS) {
      ChannelSpace space = space(m);
      for (long seed = 1; seed <= 6; seed++) {
        SplittableRandom r = new SplittableRandom(seed);
        LayerwiseCost cost = seed % 2 == 0 ? new MacsCost() : synthetic(seed);
        SpaceProblem p = random(space, cost, r);
        double[] range = {Double.MAX_VALUE, 0};
        enumerate(p, c -> {
          range[0] = Math.min(range[0], p.cost(c));
          range[1] = Math.max(range[1], p.cost(c));
        });
        double gamma = r.nextDouble() * 4 / Math.max(1e-9, range[1] - range[0]);
        double temperature = 0.3 + r.nextDouble();
        int n = space.slots().size();
        double[] best = {Double.NEGATIVE_INFINITY};
        double[][] mass = new double[n][];
        for (int s = 0; s < n; s++) {
          mass[s] = new double[p.choices(s)];
        }
        double[] z = {0};
        double shift = p.score(p.solve(gamma)) - gamma * p.cost(p.solve(gamma));
        enumerate(p, c -> {
          double v = p.score(c) - gamma * p.cost(c);
          best[0] = Math.max(best[0], v);
          double w = Math.exp((v - shift) / temperature);
          z[0] += w;
          for (int s = 0; s < n; s++) {
            mass[s][c[s]] += w;
          }
        });
        String msg = m + " seed " + seed;
        int[] dp = p.solve(gamma);
        assertEquals(best[0], p.score(dp) - gamma * p.cost(dp), 1e-9 * (1 + Math.abs(best[0])), msg);
        double[][] marg = p.marginals(gamma, temperature);
        for (int s = 0; s < n; s++) {
          for (int k = 0; k < p.choices(s); k++) {
            assertEquals(mass[s][k] / z[0], marg[s][k], 1e-9, msg + " slot " + s);
          }
        }
      }
    }
  }

  @Test
  void budgetedSearchIsFeasibleAndLagrangianOptimal() {
    for (String m : MODELS) {
      ChannelSpace space = space(m);
      SplittableRandom r = new SplittableRandom(42);
      SpaceProblem p = random(space, synthetic(3), r);
      double lo = p.cost(p.cheapest());
      double[] all = {lo, Double.NEGATIVE_INFINITY};
      enumerate(p, c -> {
        all[0] = Math.min(all[0], p.cost(c));
        all[1] = Math.max(all[1], p.cost(c));
      });
      assertEquals(all[0], lo, 1e-9 * (1 + lo), m + ": cheapest");
      for (double f : new double[] {0.1, 0.5, 0.9}) {
        double budget = lo + f * (all[1] - lo);
        LagrangianBisection.Result res = LagrangianBisection.solve(p, budget, 12);
        assertTrue(res.cost() <= budget, m + ": infeasible at budget " + budget);
        double[] best = {Double.NEGATIVE_INFINITY};
        enumerate(p, c -> best[0] = Math.max(best[0], p.score(c) - res.gamma() * p.cost(c)));
        assertEquals(best[0], res.score() - res.gamma() * res.cost(), 1e-9 * (1 + Math.abs(best[0])), m);
        double[] feasibleBest = {Double.NEGATIVE_INFINITY};
        enumerate(p, c -> {
          if (p.cost(c) <= budget) {
            feasibleBest[0] = Math.max(feasibleBest[0], p.score(c));
          }
        });
        assertTrue(res.score() <= feasibleBest[0] + 1e-9, m);
      }
    }
  }

  @Test
  void tenGroupsOfEveryModelEliminateWithoutWideTables() {
    for (String m : new String[] {"smallcnn", "mobilenetv1", "mobilenetv2", "resnet56"}) {
      ChannelSpace space = space(m);
      SplittableRandom r = new SplittableRandom(5);
      double[][] credits = new double[space.slots().size()][10];
      for (double[] row : credits) {
        for (int g = 0; g < 10; g++) {
          row[g] = r.nextGaussian() * 0.01;
        }
      }
      SpaceProblem p = SpaceProblem.ofGroups(space, 10, 2, credits, new MacsCost());
      double full = space.macs(space.max());
      LagrangianBisection.Result res = LagrangianBisection.solve(p, 0.5 * full, 12);
      assertTrue(res.cost() <= 0.5 * full, m);
      assertEquals(space.macs(p.config(res.choices())), res.cost(), 1e-6 * full, m);
      double[][] marg = p.marginals(res.gamma(), 0.01);
      for (double[] row : marg) {
        assertEquals(1.0, java.util.Arrays.stream(row).sum(), 1e-9, m);
      }
    }
  }

  @Test
  void jointSamplesFollowTheGibbsDistribution() {
    for (String m : MODELS) {
      long seed = 23;
      SplittableRandom r = new SplittableRandom(seed);
      ChannelSpace space = space(m);
      SpaceProblem p = random(space, synthetic(seed), r, 12).scaledCost(0.1);
      java.util.Map<String, Double> exact = new java.util.HashMap<>();
      double[] z = {0};
      enumerate(p, c -> {
        double w = Math.exp(p.score(c) - 2 * p.cost(c));
        exact.put(java.util.Arrays.toString(c), w);
        z[0] += w;
      });
      var sampler = p.jointSampler(2, 1);
      java.util.Map<String, Integer> seen = new java.util.HashMap<>();
      int n = 40_000;
      SplittableRandom draws = new SplittableRandom(seed);
      for (int i = 0; i < n; i++) {
        seen.merge(java.util.Arrays.toString(sampler.apply(draws)), 1, Integer::sum);
      }
      for (var e : exact.entrySet()) {
        double pr = e.getValue() / z[0];
        double f = seen.getOrDefault(e.getKey(), 0) / (double) n;
        assertEquals(pr, f, 5 * Math.sqrt(pr * (1 - pr) / n) + 1e-4, m + " " + e.getKey() + " (seed " + seed + ")");
      }
      assertTrue(exact.size() > 1, m + ": more than one configuration");
    }
  }
}
