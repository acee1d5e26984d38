package org.slimj.search.joslim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Non-dominated points of two objectives, both minimized. */
public final class ParetoFront {
  private ParetoFront() {}

  /**
   * Indices of the points not dominated by another (another is at most as large in both objectives
   * and smaller in one), ordered by increasing {@code b} then {@code a}; of exact duplicates only the
   * first index is kept. Points with a NaN objective are ignored.
   */
  public static List<Integer> nonDominated(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("Pareto front: expected as many values of both objectives, found " + a.length
          + " and " + b.length);
    }
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < a.length; i++) {
      if (!Double.isNaN(a[i]) && !Double.isNaN(b[i])) {
        idx.add(i);
      }
    }
    idx.sort(Comparator.<Integer>comparingDouble(i -> b[i]).thenComparingDouble(i -> a[i]).thenComparingInt(i -> i));
    List<Integer> out = new ArrayList<>();
    double bestA = Double.POSITIVE_INFINITY;
    for (int i : idx) {
      if (a[i] < bestA) {
        out.add(i);
        bestA = a[i];
      }
    }
    return out;
  }
}
