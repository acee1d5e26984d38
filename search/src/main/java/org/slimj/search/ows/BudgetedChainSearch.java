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
    LagrangianBisection.Result r = LagrangianBisection.solve(new LagrangianBisection.Relaxation() {
      @Override
      public int[] solve(double gamma) {
        return ChainViterbi.solve(p, gamma);
      }

      @Override
      public double score(int[] choices) {
        return p.score(choices);
      }

      @Override
      public double cost(int[] choices) {
        return p.cost(choices);
      }
    }, budget, steps);
    return new Result(r.choices(), r.gamma(), r.score(), r.cost());
  }
}
