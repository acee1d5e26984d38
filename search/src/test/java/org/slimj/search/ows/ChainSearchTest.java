package org.slimj.search.ows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The chain DP against brute force on small random problems. */
class ChainSearchTest {

  private static ChainProblem random(SplittableRandom r, int l, int maxK) {
    double[][] u = new double[l][];
    double[][] uc = new double[l][];
    double[][][] pc = new double[l][][];
    for (int i = 0; i < l; i++) {
      int k = 1 + r.nextInt(maxK);
      u[i] = new double[k];
      uc[i] = new double[k];
      for (int j = 0; j < k; j++) {
        u[i][j] = r.nextGaussian();
        uc[i][j] = r.nextDouble();
      }
      if (i > 0) {
        pc[i] = new double[u[i - 1].length][k];
        for (double[] row : pc[i]) {
          for (int j = 0; j < k; j++) {
            row[j] = r.nextDouble() * 2;
          }
        }
      } else {
        pc[i] = new double[0][];
      }
    }
    return new ChainProblem(u, uc, pc);
  }

  /** Calls {@code visit} on every assignment. */
  private static void enumerate(ChainProblem p, java.util.function.Consumer<int[]> visit) {
    int[] c = new int[p.length()];
    while (true) {
      visit.accept(c.clone());
      int i = p.length() - 1;
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
  void viterbiEqualsBruteForce() {
    for (long seed = 1; seed <= 200; seed++) {
      SplittableRandom r = new SplittableRandom(seed);
      ChainProblem p = random(r, 1 + r.nextInt(5), 4);
      double gamma = r.nextDouble() * 3;
      double[] best = {Double.NEGATIVE_INFINITY};
      enumerate(p, c -> best[0] = Math.max(best[0], p.score(c) - gamma * p.cost(c)));
      int[] c = ChainViterbi.solve(p, gamma);
      assertEquals(best[0], p.score(c) - gamma * p.cost(c), 1e-9, "seed " + seed);
    }
  }

  @Test
  void budgetedSearchIsFeasibleAndOptimalAmongLagrangianSolutions() {
    int matched = 0;
    for (long seed = 1; seed <= 200; seed++) {
      SplittableRandom r = new SplittableRandom(seed);
      ChainProblem p = random(r, 2 + r.nextInt(4), 4);
      double[] minCost = {Double.POSITIVE_INFINITY};
      double[] maxCost = {0};
      enumerate(p, c -> {
        minCost[0] = Math.min(minCost[0], p.cost(c));
        maxCost[0] = Math.max(maxCost[0], p.cost(c));
      });
      double budget = minCost[0] + r.nextDouble() * (maxCost[0] - minCost[0]);
      BudgetedChainSearch.Result res = BudgetedChainSearch.solve(p, budget, 30);
      assertTrue(res.cost() <= budget + 1e-12, "seed " + seed + ": infeasible result");
      double[] bestFeasible = {Double.NEGATIVE_INFINITY};
      enumerate(p, c -> {
        if (p.cost(c) <= budget) {
          bestFeasible[0] = Math.max(bestFeasible[0], p.score(c));
        }
      });
      assertTrue(res.score() <= bestFeasible[0] + 1e-12, "seed " + seed);
      if (Math.abs(res.score() - bestFeasible[0]) < 1e-9) {
        matched++;
      }
    }
    // Lagrangian relaxation finds the constrained optimum except inside duality gaps.
    assertTrue(matched >= 120, "exact constrained optimum found in " + matched + " of 200 random problems");
  }

  @Test
  void budgetBelowTheCheapestAssignmentIsAnError() {
    ChainProblem p = random(new SplittableRandom(3), 3, 3);
    assertThrows(IllegalArgumentException.class, () -> BudgetedChainSearch.solve(p, -1));
  }

  @Test
  void marginalsEqualBruteForce() {
    for (long seed = 1; seed <= 50; seed++) {
      SplittableRandom r = new SplittableRandom(seed);
      ChainProblem p = random(r, 1 + r.nextInt(4), 4);
      double gamma = r.nextDouble() * 2;
      double tau = 0.2 + r.nextDouble();
      double[][] expect = new double[p.length()][];
      for (int i = 0; i < p.length(); i++) {
        expect[i] = new double[p.choices(i)];
      }
      double[] z = {0};
      enumerate(p, c -> {
        double w = Math.exp((p.score(c) - gamma * p.cost(c)) / tau);
        z[0] += w;
        for (int i = 0; i < c.length; i++) {
          expect[i][c[i]] += w;
        }
      });
      double[][] m = ChainMarginals.compute(p, gamma, tau);
      for (int i = 0; i < p.length(); i++) {
        for (int k = 0; k < p.choices(i); k++) {
          assertEquals(expect[i][k] / z[0], m[i][k], 1e-9, "seed " + seed + " variable " + i + " choice " + k);
        }
      }
    }
  }

  @Test
  void freeBudgetGivesTheUnconstrainedOptimum() {
    ChainProblem p = random(new SplittableRandom(9), 4, 3);
    BudgetedChainSearch.Result r = BudgetedChainSearch.solve(p, Double.MAX_VALUE);
    assertArrayEquals(ChainViterbi.solve(p, 0), r.choices());
    assertEquals(0, r.gamma());
  }
}
