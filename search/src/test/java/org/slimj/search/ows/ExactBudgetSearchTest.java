package org.slimj.search.ows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.space.LayerSpec;
import org.slimj.search.cost.LayerwiseCost;
import org.slimj.search.cost.MacsCost;

/** The budget-constrained search against brute force over small candidate sets of real models' spaces. */
class ExactBudgetSearchTest {
  private static final String[] MODELS = {"smallcnn", "mobilenetv1", "mobilenetv2", "resnet20"};

  /** A pseudo-random integer cost in 1..9 per (layer, cin, cout). */
  static LayerwiseCost integerCost(long seed) {
    return new LayerwiseCost() {
      @Override
      public String name() {
        return "integer";
      }

      @Override
      public String unit() {
        return "units";
      }

      @Override
      public double layerCost(LayerSpec layer, int cin, int cout) {
        long h = seed * 0x9E3779B97F4A7C15L + layer.name().hashCode() * 1_000_003L + cin * 7919L + cout;
        return 1 + new SplittableRandom(h).nextInt(9);
      }
    };
  }

  /** [least cost, greatest cost] over all assignments. */
  static double[] costRange(SpaceProblem p) {
    double[] r = {Double.MAX_VALUE, Double.NEGATIVE_INFINITY};
    SpaceProblemTest.enumerate(p, c -> {
      r[0] = Math.min(r[0], p.cost(c));
      r[1] = Math.max(r[1], p.cost(c));
    });
    return r;
  }

  /** Best score among assignments of cost at most {@code budget}. */
  static double bestFeasible(SpaceProblem p, double budget) {
    double[] best = {Double.NEGATIVE_INFINITY};
    SpaceProblemTest.enumerate(p, c -> {
      if (p.cost(c) <= budget) {
        best[0] = Math.max(best[0], p.score(c));
      }
    });
    return best[0];
  }

  @Test
  void integerCostsOnTheGridGiveTheBruteForceOptimum() {
    for (String m : MODELS) {
      ChannelSpace space = SpaceProblemTest.space(m);
      for (long seed = 1; seed <= 4; seed++) {
        SplittableRandom r = new SplittableRandom(seed);
        SpaceProblem p = SpaceProblemTest.random(space, integerCost(seed), r);
        double[] range = costRange(p);
        for (double f : new double[] {0.0, 0.2, 0.5, 0.8}) {
          double budget = Math.floor(range[0] + f * (range[1] - range[0]));
          String msg = m + " seed " + seed + " budget " + budget;
          ExactBudgetSearch.Result res = ExactBudgetSearch.solveWithWidth(p, budget, 1.0);
          double brute = bestFeasible(p, budget);
          assertEquals(brute, res.score(), 1e-9, msg);
          assertTrue(res.optimal(), msg);
          assertTrue(res.cost() <= budget, msg);
          assertEquals(p.cost(res.choices()), res.cost(), 0, msg);
          LagrangianBisection.Result lag = LagrangianBisection.solve(p, budget, 12);
          assertTrue(res.score() >= lag.score() - 1e-9, msg + ": not below the Lagrangian solution");
        }
      }
    }
  }

  @Test
  void realCostsAreFeasibleAndWithinTheRoundingGuarantee() {
    for (String m : MODELS) {
      ChannelSpace space = SpaceProblemTest.space(m);
      for (long seed = 1; seed <= 4; seed++) {
        SplittableRandom r = new SplittableRandom(100 + seed);
        LayerwiseCost cost = seed % 2 == 0 ? new MacsCost() : SpaceProblemTest.synthetic(seed);
        SpaceProblem p = SpaceProblemTest.random(space, cost, r);
        double[] range = costRange(p);
        for (int buckets : new int[] {20, 2000}) {
          for (double f : new double[] {0.05, 0.3, 0.6, 0.95}) {
            double budget = range[0] + f * (range[1] - range[0]);
            String msg = m + " seed " + seed + " buckets " + buckets + " budget " + budget;
            ExactBudgetSearch.Result res = ExactBudgetSearch.solve(p, budget, buckets);
            double brute = bestFeasible(p, budget);
            assertTrue(res.cost() <= budget, msg + ": infeasible");
            assertTrue(res.score() <= brute + 1e-9, msg + ": above the optimum");
            assertTrue(res.upperBound() >= brute - 1e-9, msg + ": bound below the optimum");
            double guaranteed = bestFeasible(p, budget - (res.terms() + 1) * res.bucketWidth());
            assertTrue(res.score() >= guaranteed - 1e-9, msg + ": below the rounding guarantee " + guaranteed);
            if (res.optimal()) {
              assertEquals(brute, res.score(), 1e-9, msg);
            }
            ExactBudgetSearch.Result refined = ExactBudgetSearch.solveRefining(p, budget, buckets, 64 * buckets);
            assertTrue(refined.cost() <= budget, msg + ": refined infeasible");
            assertTrue(refined.score() >= res.score() && refined.score() <= brute + 1e-9, msg + ": refined score");
            assertTrue(refined.upperBound() <= res.upperBound() && refined.upperBound() >= brute - 1e-9,
                msg + ": refined bound");
            if (refined.optimal()) {
              assertEquals(brute, refined.score(), 1e-9, msg);
            }
          }
        }
      }
    }
  }

  @Test
  void aBudgetAtTheCheapestCostGivesTheCheapestScoreAndBelowItIsRefused() {
    ChannelSpace space = SpaceProblemTest.space("mobilenetv1");
    SpaceProblem p = SpaceProblemTest.random(space, new MacsCost(), new SplittableRandom(9));
    double least = costRange(p)[0];
    ExactBudgetSearch.Result res = ExactBudgetSearch.solve(p, least, 100);
    assertEquals(bestFeasible(p, least), res.score(), 1e-9);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ExactBudgetSearch.solve(p, least * 0.99, 100));
    assertTrue(e.getMessage().contains("cheapest"), e.getMessage());
  }

  @Test
  void tenGroupsOfEveryModelMeetTheBudgetAndTheBoundCoversLagrangian() {
    for (String m : new String[] {"smallcnn", "mobilenetv1", "mobilenetv2", "resnet56"}) {
      ChannelSpace space = SpaceProblemTest.space(m);
      SplittableRandom r = new SplittableRandom(5);
      double[][] credits = new double[space.slots().size()][10];
      for (double[] row : credits) {
        for (int g = 0; g < 10; g++) {
          row[g] = -Math.abs(r.nextGaussian()) * 0.01 * (10 - g);
        }
      }
      double full = space.macs(space.max());
      SpaceProblem p = SpaceProblem.ofGroups(space, 10, 2, credits, new MacsCost()).scaledCost(1 / full);
      for (double b : new double[] {0.75, 0.5, 0.25}) {
        ExactBudgetSearch.Result res = ExactBudgetSearch.solve(p, b, ExactBudgetSearch.DEFAULT_BUCKETS);
        LagrangianBisection.Result lag = LagrangianBisection.solve(p, b, 12);
        String msg = m + " budget " + b + " (seed 5)";
        assertTrue(res.cost() <= b, msg);
        assertEquals(space.macs(p.config(res.choices())) / full, res.cost(), 1e-9, msg);
        assertTrue(res.upperBound() >= lag.score() - 1e-12, msg);
        assertTrue(res.score() >= lag.score() - 1e-12 || !res.optimal(), msg);
      }
    }
  }

  @Test
  void tooManyBucketsForTheMemoryLimitAreRefusedUpFront() {
    ChannelSpace space = SpaceProblemTest.space("mobilenetv2");
    double[][] credits = new double[space.slots().size()][10];
    SpaceProblem p = SpaceProblem.ofGroups(space, 10, 1, credits, new MacsCost());
    double full = space.macs(space.max());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ExactBudgetSearch.solve(p, 0.5 * full, ExactBudgetSearch.MAX_BUCKETS));
    assertTrue(e.getMessage().contains("message entries") && e.getMessage().contains("fewer cost buckets"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ExactBudgetSearch.solve(p, 0.5 * full, 0));
    assertThrows(IllegalArgumentException.class, () -> ExactBudgetSearch.solveWithWidth(p, 0.5 * full, 1e-9));
  }
}
