package org.slimj.search.ows;

/**
 * The best-scoring assignment whose cost meets a budget, by Lagrangian relaxation with bisection
 * on the multiplier (AOWS §3.2): gamma starts at 10 and doubles until the Viterbi solution is
 * feasible, then {@code steps} bisection steps between the last infeasible and the first feasible
 * gamma; the feasible solution at the upper end is returned. Like every Lagrangian method this can
 * miss assignments inside the duality gap; the result is always feasible.
 */
public final class BudgetedChainSearch {
  private BudgetedChainSearch() {}

  /**
   * Result of a search.
   *
   * @param choices the assignment (choice index per variable)
   * @param gamma the multiplier it was found at
   * @param score its score
   * @param cost its cost (at most the budget)
   */
  public record Result(int[] choices, double gamma, double score, double cost) {}

  /** Searches with 12 bisection steps, as AOWS. */
  public static Result solve(ChainProblem p, double budget) {
    return solve(p, budget, 12);
  }

  /** Searches with {@code steps} bisection steps. */
  public static Result solve(ChainProblem p, double budget, int steps) {
    int[] free = ChainViterbi.solve(p, 0);
    if (p.cost(free) <= budget) {
      return new Result(free, 0, p.score(free), p.cost(free));
    }
    double hi = 10;
    int[] c = ChainViterbi.solve(p, hi);
    int doublings = 0;
    while (p.cost(c) > budget) {
      if (++doublings > 200) {
        throw new IllegalArgumentException("budget " + budget + " is below the smallest cost reachable ("
            + p.cost(c) + ")");
      }
      hi *= 2;
      c = ChainViterbi.solve(p, hi);
    }
    double lo = doublings == 0 ? 0 : hi / 2;
    for (int s = 0; s < steps; s++) {
      double mid = 0.5 * (lo + hi);
      int[] m = ChainViterbi.solve(p, mid);
      if (p.cost(m) <= budget) {
        hi = mid;
        c = m;
      } else {
        lo = mid;
      }
    }
    return new Result(c, hi, p.score(c), p.cost(c));
  }
}
