package org.slimj.search.ows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The configuration of highest total score whose cost meets a budget, solved as the constrained
 * problem itself rather than its Lagrangian relaxation (which {@link LagrangianBisection}, AOWS §3.2,
 * solves, and which can stop far under the budget when the optimum lies in the duality gap).
 *
 * <p>Method: every cost term of the {@link SpaceProblem} (each slot's one-slot terms are first added
 * into a two-slot term that contains the slot, and each term is shifted so its minimum is 0, the
 * minima going into a constant) is divided by a bucket width {@code w = (budget - constant) /
 * buckets}, and {@link BucketedElimination} maximises the score over assignments whose bucket sum
 * is at most {@code buckets}. It runs twice:
 *
 * <ol>
 *   <li>costs rounded <b>down</b>: a relaxation (every configuration within the budget passes), so
 *       its best score is an upper bound on the true optimum; if its assignment meets the budget
 *       under the true cost, it is the exact optimum and is returned;
 *   <li>otherwise costs rounded <b>up</b>: every assignment that passes meets the budget (its true
 *       cost is at most the bucket sum times {@code w}); the result is checked under the true cost
 *       and, should rounding noise break that, the pass is repeated with one bucket less.
 * </ol>
 *
 * <p>Guarantees: the result always meets the budget under the true cost; its score is at most the
 * upper bound reported and at least the best score among configurations of cost at most {@code
 * budget - (terms + 1)·w} ({@code terms} rounded terms, each rounding adding less than {@code w});
 * it is exactly optimal whenever every term is a multiple of {@code w} (e.g. integer costs with
 * {@link #solveWithWidth} width 1) and whenever {@link Result#optimal()} says so. Bucket ratios
 * are snapped to the nearest integer when within 1e-9 of it, so that costs on the grid stay exact (the
 * bound is then valid up to 1e-9 of a bucket per term).
 */
public final class ExactBudgetSearch {
  /** Default number of cost buckets between the cost floor and the budget. */
  public static final int DEFAULT_BUCKETS = 2000;

  /** Largest number of buckets accepted. */
  public static final int MAX_BUCKETS = 1 << 22;

  private ExactBudgetSearch() {}

  /**
   * Result of a search.
   *
   * @param choices the assignment (choice index per slot)
   * @param score its score
   * @param cost its true cost (at most the budget)
   * @param upperBound an upper bound on the best score of any configuration within the budget
   * @param optimal whether the score reaches the upper bound (the result is then exactly optimal)
   * @param buckets the number of buckets between the cost floor and the budget
   * @param bucketWidth the width of one bucket, in the problem's cost unit
   * @param terms the number of rounded cost terms
   */
  public record Result(int[] choices, double score, double cost, double upperBound, boolean optimal, int buckets,
      double bucketWidth, int terms) {}

  /** Searches with {@code buckets} buckets between the cost floor and the budget. */
  public static Result solve(SpaceProblem p, double budget, int buckets) {
    if (buckets < 1 || buckets > MAX_BUCKETS) {
      throw new IllegalArgumentException("cost buckets: expected 1.." + MAX_BUCKETS + ", found " + buckets);
    }
    Terms t = terms(p, budget);
    return run(p, t, budget, Math.max(0, budget - t.floor) / buckets, buckets);
  }

  /**
   * Searches with {@code buckets} buckets, then, while the result is not proven optimal, again with
   * four times as many, up to {@code maxBuckets} and the memory limit; returns the best result found,
   * with the tightest bound (and the bucket count and width of the last pass).
   */
  public static Result solveRefining(SpaceProblem p, double budget, int buckets, int maxBuckets) {
    if (maxBuckets < buckets || maxBuckets > MAX_BUCKETS) {
      throw new IllegalArgumentException("expected buckets <= maxBuckets <= " + MAX_BUCKETS + ", found " + buckets
          + " and " + maxBuckets);
    }
    Result best = solve(p, budget, buckets);
    Terms t = terms(p, budget);
    int n = buckets;
    while (!best.optimal() && n <= maxBuckets / 4) {
      n *= 4;
      double width = Math.max(0, budget - t.floor) / n;
      if (BucketedElimination.entries(dims(p), tables(p, t, width, n, false), n) > BucketedElimination.MAX_ENTRIES) {
        break;
      }
      Result r = run(p, t, budget, width, n);
      double bound = Math.min(best.upperBound(), r.upperBound());
      Result better = r.score() > best.score() ? r : best;
      best = result(p, better.choices(), bound, n, width, better.terms());
    }
    return best;
  }

  /**
   * Searches with buckets of width {@code width} (in the problem's cost unit): as many as fit
   * between the cost floor and the budget. Exact when every cost term is a multiple of the width.
   */
  public static Result solveWithWidth(SpaceProblem p, double budget, double width) {
    if (!(width > 0) || Double.isInfinite(width)) {
      throw new IllegalArgumentException("bucket width must be finite and > 0, found " + width);
    }
    Terms t = terms(p, budget);
    double n = Math.floor(snap(Math.max(0, budget - t.floor) / width));
    if (n > MAX_BUCKETS) {
      throw new IllegalArgumentException("bucket width " + width + " makes " + (long) n + " buckets between the cost"
          + " floor " + t.floor + " and the budget " + budget + "; at most " + MAX_BUCKETS + " are allowed");
    }
    return run(p, t, budget, width, (int) n);
  }

  /** The cost terms of {@code p}, shifted to minimum 0, with the checks every search shares. */
  private record Terms(List<int[]> vars, List<double[]> score, List<double[]> cost, double floor) {}

  private static Terms terms(SpaceProblem p, double budget) {
    if (!Double.isFinite(budget)) {
      throw new IllegalArgumentException("budget must be finite, found " + budget);
    }
    int n = p.space().slots().size();
    double[][] unary = p.unaryCosts();
    Map<Long, double[][]> pairs = p.pairCosts();
    boolean[] folded = new boolean[n];
    for (Map.Entry<Long, double[][]> e : pairs.entrySet()) {
      int a = (int) (e.getKey() >>> 32);
      int b = (int) (long) e.getKey();
      double[][] t = e.getValue();
      for (int i = 0; i < t.length; i++) {
        for (int j = 0; j < t[i].length; j++) {
          t[i][j] += (folded[a] ? 0 : unary[a][i]) + (folded[b] ? 0 : unary[b][j]);
        }
      }
      folded[a] = true;
      folded[b] = true;
    }
    List<int[]> vars = new ArrayList<>();
    List<double[]> score = new ArrayList<>();
    List<double[]> cost = new ArrayList<>();
    double floor = p.constantCost();
    for (int s = 0; s < n; s++) {
      double[] sc = new double[p.choices(s)];
      double[] c = new double[sc.length];
      for (int k = 0; k < sc.length; k++) {
        sc[k] = p.scoreAt(s, k);
        c[k] = folded[s] ? 0 : unary[s][k];
      }
      vars.add(new int[] {s});
      score.add(sc);
      floor += shiftToZero(c);
      cost.add(c);
    }
    for (Map.Entry<Long, double[][]> e : pairs.entrySet()) {
      int a = (int) (e.getKey() >>> 32);
      int b = (int) (long) e.getKey();
      double[][] t = e.getValue();
      int ka = t.length;
      int kb = t[0].length;
      double[] c = new double[ka * kb];
      for (int i = 0; i < ka; i++) {
        for (int j = 0; j < kb; j++) {
          c[a < b ? i * kb + j : j * ka + i] = t[i][j];
        }
      }
      vars.add(a < b ? new int[] {a, b} : new int[] {b, a});
      score.add(new double[c.length]);
      floor += shiftToZero(c);
      cost.add(c);
    }
    double least = p.cost(p.cheapest());
    if (budget < least) {
      throw new IllegalArgumentException("budget " + budget + " is below the cost of the cheapest configuration ("
          + least + ")");
    }
    return new Terms(vars, score, cost, floor);
  }

  /** Subtracts the minimum from every entry and returns it. */
  private static double shiftToZero(double[] c) {
    double min = Double.POSITIVE_INFINITY;
    for (double x : c) {
      min = Math.min(min, x);
    }
    for (int i = 0; i < c.length; i++) {
      c[i] -= min;
    }
    return min;
  }

  private static int[] dims(SpaceProblem p) {
    int[] dims = new int[p.space().slots().size()];
    for (int s = 0; s < dims.length; s++) {
      dims[s] = p.choices(s);
    }
    return dims;
  }

  private static Result run(SpaceProblem p, Terms t, double budget, double width, int buckets) {
    int[] dims = dims(p);
    BucketedElimination.checkMemory(dims, tables(p, t, width, buckets, false), buckets);
    int roundedTerms = 0;
    for (double[] c : t.cost) {
      for (double x : c) {
        if (x != 0) {
          roundedTerms++;
          break;
        }
      }
    }
    BucketedElimination.Solution relaxed =
        BucketedElimination.maximize(dims, tables(p, t, width, buckets, false), buckets);
    if (relaxed == null) {
      throw new IllegalStateException("no configuration passes the relaxed budget " + budget + " although the cheapest"
          + " meets it");
    }
    double upper = relaxed.score();
    if (p.cost(relaxed.choices()) <= budget) {
      return result(p, relaxed.choices(), upper, buckets, width, roundedTerms);
    }
    for (int cap = buckets; cap >= Math.max(0, buckets - 1); cap--) {
      BucketedElimination.Solution safe = BucketedElimination.maximize(dims, tables(p, t, width, cap, true), cap);
      if (safe != null && p.cost(safe.choices()) <= budget) {
        return result(p, safe.choices(), upper, buckets, width, roundedTerms);
      }
    }
    return result(p, p.cheapest(), upper, buckets, width, roundedTerms);
  }

  private static Result result(SpaceProblem p, int[] choices, double upper, int buckets, double width, int terms) {
    double score = p.score(choices);
    boolean optimal = score >= upper - 1e-12 * Math.max(1, Math.abs(upper));
    return new Result(choices, score, p.cost(choices), Math.max(upper, score), optimal, buckets, width, terms);
  }

  /** The terms in buckets of {@code width}, rounded up or down; entries above {@code capacity} are excluded. */
  private static List<BucketedElimination.Table> tables(SpaceProblem p, Terms t, double width, int capacity,
      boolean up) {
    List<BucketedElimination.Table> out = new ArrayList<>();
    for (int i = 0; i < t.vars.size(); i++) {
      int[] vars = t.vars.get(i);
      int[] dims = new int[vars.length];
      for (int j = 0; j < vars.length; j++) {
        dims[j] = p.choices(vars[j]);
      }
      double[] c = t.cost.get(i);
      int[] bucket = new int[c.length];
      for (int j = 0; j < c.length; j++) {
        double x = c[j] == 0 ? 0 : snap(c[j] / width);
        double q = up ? Math.ceil(x) : Math.floor(x);
        bucket[j] = q > capacity ? -1 : (int) q;
      }
      out.add(BucketedElimination.Table.single(vars, dims, t.score.get(i), bucket));
    }
    return out;
  }

  /** {@code x}, or the nearest integer when within 1e-9 (relative) of it. */
  private static double snap(double x) {
    double r = Math.rint(x);
    return Math.abs(x - r) <= 1e-9 * Math.max(1, Math.abs(x)) ? r : x;
  }
}
