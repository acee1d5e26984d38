package org.slimj.search.ows;

/**
 * The best-scoring assignment whose cost meets a budget, by Lagrangian relaxation with bisection on
 * the multiplier (AOWS, Berman et al., CVPR 2020, §3.2): gamma starts at 10 and doubles until the
 * exact maximiser of {@code score - gamma·cost} is feasible, then {@code steps} bisection steps
 * between the last infeasible and the first feasible gamma; the feasible solution at the upper end
 * is returned. Like every Lagrangian method it can miss assignments inside the duality gap; the
 * result is always feasible.
 */
public final class LagrangianBisection {
  private LagrangianBisection() {}

  /** A problem whose Lagrangian relaxation can be maximised exactly. */
  public interface Relaxation {
    /** The assignment maximising {@code score - gamma·cost}. */
    int[] solve(double gamma);

    /** Score of an assignment (higher is better). */
    double score(int[] choices);

    /** Cost of an assignment. */
    double cost(int[] choices);
  }

  /**
   * Result of a search.
   *
   * @param choices the assignment (choice index per variable)
   * @param gamma the multiplier it was found at
   * @param score its score
   * @param cost its cost (at most the budget)
   * @param doublings how many times gamma was doubled from 10 (AOWS warns above 2)
   * @param steps bisection steps taken (0 when the unconstrained optimum is feasible)
   */
  public record Result(int[] choices, double gamma, double score, double cost, int doublings, int steps) {}

  /** Searches with {@code steps} bisection steps (AOWS: 12). */
  public static Result solve(Relaxation p, double budget, int steps) {
    if (Double.isNaN(budget) || steps < 0) {
      throw new IllegalArgumentException("expected a budget and steps >= 0, found " + budget + ", " + steps);
    }
    int[] free = p.solve(0);
    if (p.cost(free) <= budget) {
      return new Result(free, 0, p.score(free), p.cost(free), 0, 0);
    }
    double hi = 10;
    int[] c = p.solve(hi);
    int doublings = 0;
    while (p.cost(c) > budget) {
      if (++doublings > 200) {
        throw new IllegalArgumentException("budget " + budget + " is below the smallest cost reachable ("
            + p.cost(c) + ")");
      }
      hi *= 2;
      c = p.solve(hi);
    }
    double lo = doublings == 0 ? 0 : hi / 2;
    for (int s = 0; s < steps; s++) {
      double mid = 0.5 * (lo + hi);
      int[] m = p.solve(mid);
      if (p.cost(m) <= budget) {
        hi = mid;
        c = m;
      } else {
        lo = mid;
      }
    }
    return new Result(c, hi, p.score(c), p.cost(c), doublings, steps);
  }
}
