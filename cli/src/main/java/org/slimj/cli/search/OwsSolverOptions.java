package org.slimj.cli.search;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.search.cost.LayerwiseCost;
import org.slimj.search.io.FoundConfig;
import org.slimj.search.ows.ExactBudgetSearch;
import org.slimj.search.ows.LagrangianBisection;
import org.slimj.search.ows.SpaceProblem;
import picocli.CommandLine.Option;

/**
 * How the OWS searches impose a cost budget ({@code --solver}, {@code --buckets}, {@code
 * --bisection-steps}): by default the constrained problem itself ({@link ExactBudgetSearch}, costs
 * in buckets), or AOWS's Lagrangian bisection (Berman et al., CVPR 2020, §3.2), which can stop well
 * under the budget when the optimum lies in the duality gap.
 */
public final class OwsSolverOptions {
  /** A way to impose the budget. */
  enum Solver {
    /** The budget-constrained optimum, costs in buckets. */
    exact,
    /** AOWS's bisection on the cost multiplier. */
    lagrangian
  }

  @Option(names = "--solver", paramLabel = "S", description = "exact (the best credit under the budget, costs in"
      + " buckets) or lagrangian (AOWS: bisection on the cost multiplier; can stop well under the budget)"
      + " (default: ${DEFAULT-VALUE}).")
  Solver solver = Solver.exact;

  @Option(names = "--buckets", paramLabel = "N", description = "exact: cost buckets between the cost floor and each"
      + " budget (default: ${DEFAULT-VALUE}).")
  int buckets = ExactBudgetSearch.DEFAULT_BUCKETS;

  @Option(names = "--max-buckets", paramLabel = "N", description = "exact: while the result is not proven optimal,"
      + " search again with 4 times the buckets, up to N (default: ${DEFAULT-VALUE}; --buckets: no refinement).")
  int maxBuckets = 32_000;

  @Option(names = "--bisection-steps", paramLabel = "N", description = "lagrangian: bisection steps on the multiplier"
      + " (default: ${DEFAULT-VALUE}, as AOWS).")
  int steps = 12;

  /** Throws if an option is out of range. */
  void validate() {
    if (steps < 0 || steps > 60) {
      throw new IllegalArgumentException("--bisection-steps: expected 0..60, found " + steps);
    }
    if (buckets < 1 || buckets > ExactBudgetSearch.MAX_BUCKETS) {
      throw new IllegalArgumentException("--buckets: expected 1.." + ExactBudgetSearch.MAX_BUCKETS + ", found "
          + buckets);
    }
    if (maxBuckets > ExactBudgetSearch.MAX_BUCKETS) {
      throw new IllegalArgumentException("--max-buckets: expected at most " + ExactBudgetSearch.MAX_BUCKETS + ", found "
          + maxBuckets);
    }
  }

  /** The solver's name. */
  String name() {
    return solver.name();
  }

  /** Adds the solver and its setting to a result file's settings. */
  void describe(Map<String, Object> settings) {
    settings.put("solver", solver.name());
    if (solver == Solver.exact) {
      settings.put("buckets", buckets);
      settings.put("max_buckets", Math.max(buckets, maxBuckets));
    } else {
      settings.put("bisection_steps", steps);
    }
  }

  /**
   * The configuration of {@code p} (costs scaled to fractions of {@code full}, the largest
   * configuration's cost under {@code c}) for a budget in {@code c}'s unit, with how it was found.
   */
  FoundConfig solve(LayerwiseCost c, ChannelSpace space, SpaceProblem p, double budget, double full) {
    long t0 = System.nanoTime();
    // the problem holds the per-layer terms only; a cost may add a configuration-independent part
    // (a latency table's fixed term), which the budget must pay first
    double layerBudget = (budget - c.fixedCost(space)) / full;
    if (solver == Solver.exact) {
      ExactBudgetSearch.Result r =
          ExactBudgetSearch.solveRefining(p, layerBudget, buckets, Math.max(buckets, maxBuckets));
      ChannelConfig cfg = p.config(r.choices());
      Map<String, Object> how = how(c, space, cfg, budget, full);
      how.put("credit_upper_bound", r.upperBound());
      how.put("optimal", r.optimal());
      how.put("buckets", r.buckets());
      how.put("bucket_width", r.bucketWidth() * full);
      how.put("rounded_terms", r.terms());
      how.put("millis", (System.nanoTime() - t0) / 1e6);
      if (!(boolean) how.get("feasible")) {
        throw new IllegalStateException("exact OWS search: the configuration found costs " + how.get("cost_used") + " "
            + c.unit() + ", above the budget " + budget + " (a bug: the exact solver keeps every budget)");
      }
      return found(c, space, cfg, budget, full, r.score(), how);
    }
    LagrangianBisection.Result r = LagrangianBisection.solve(p, layerBudget, steps);
    ChannelConfig cfg = p.config(r.choices());
    Map<String, Object> how = how(c, space, cfg, budget, full);
    how.put("gamma", r.gamma());
    how.put("gamma_unit", "credit per cost of the largest configuration");
    how.put("doublings", r.doublings());
    how.put("bisection_steps", r.steps());
    how.put("millis", (System.nanoTime() - t0) / 1e6);
    return found(c, space, cfg, budget, full, r.score(), how);
  }


  /** A short line of how a result of {@link #solve} was found, for the text tables. */
  static String summary(FoundConfig f) {
    Map<String, Object> how = f.how();
    if ("exact".equals(how.get("solver"))) {
      return String.format(Locale.ROOT, "bound %+.5f%s", (double) how.get("credit_upper_bound"),
          (boolean) how.get("optimal") ? " (optimal)" : "");
    }
    return String.format(Locale.ROOT, "gamma %.4g", (double) how.get("gamma"));
  }

  /** What every solver reports: which solver, the cost and budget, the cost used and whether it meets the budget. */
  private Map<String, Object> how(LayerwiseCost c, ChannelSpace space, ChannelConfig cfg, double budget,
      double full) {
    double used = c.cost(space, cfg);
    Map<String, Object> how = new LinkedHashMap<>();
    how.put("solver", solver.name());
    how.put("cost", c.name());
    how.put("budget", budget);
    how.put("budget_fraction", budget / full);
    how.put("cost_used", used);
    how.put("cost_used_fraction", used / full);
    how.put("feasible", used <= budget);
    return how;
  }

  /** Labelled like greedy slimming's results: {@code <cost><=<fraction of the largest configuration's cost>x}. */
  private static FoundConfig found(LayerwiseCost c, ChannelSpace space, ChannelConfig cfg, double budget, double full,
      double score, Map<String, Object> how) {
    Map<String, Double> costs = new LinkedHashMap<>();
    costs.put(c.name(), c.cost(space, cfg));
    costs.putIfAbsent("macs", (double) space.macs(cfg));
    costs.putIfAbsent("params", (double) space.params(cfg));
    String fraction = new java.math.BigDecimal(budget / full).round(new java.math.MathContext(4)).stripTrailingZeros()
        .toPlainString();
    return new FoundConfig(c.name() + "<=" + fraction + "x", cfg, costs, score, "ows_credit", how);
  }
}
