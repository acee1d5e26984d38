package org.slimj.search.multiplatform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Platform weightings drawn from a Chinese restaurant process (Aldous 1985), as Wang &amp; Blaschko
 * (NLDL 2022) use to simulate market regimes: customer {@code n+1} joins table {@code k} with
 * probability {@code n_k / (n + alpha)} and opens a new table with probability {@code alpha / (n +
 * alpha)}; the table shares, sorted in decreasing order, are assigned to the platforms (tables
 * beyond the number of platforms are merged into the last one) and renormalised. Small {@code
 * alpha} gives one dominant platform; large {@code alpha} gives nearly uniform weights. The
 * assignment rule (sort, truncate, merge) is our reconstruction: the paper's exact one was not
 * available.
 */
public final class ChineseRestaurantProcess {
  private ChineseRestaurantProcess() {}

  /** Weights of {@code platforms} platforms from seating {@code customers} with concentration {@code alpha}. */
  public static double[] weights(int platforms, double alpha, int customers, RandomGenerator rng) {
    if (platforms < 1 || !(alpha > 0) || customers < 1) {
      throw new IllegalArgumentException(
          "CRP: expected platforms >= 1, alpha > 0, customers >= 1; found " + platforms + ", " + alpha + ", " + customers);
    }
    List<Integer> tables = new ArrayList<>();
    for (int n = 0; n < customers; n++) {
      double u = rng.nextDouble() * (n + alpha);
      int chosen = -1;
      double acc = 0;
      for (int t = 0; t < tables.size(); t++) {
        acc += tables.get(t);
        if (u < acc) {
          chosen = t;
          break;
        }
      }
      if (chosen < 0) {
        tables.add(1);
      } else {
        tables.set(chosen, tables.get(chosen) + 1);
      }
    }
    int[] sorted = tables.stream().mapToInt(Integer::intValue).sorted().toArray();
    double[] w = new double[platforms];
    for (int i = 0; i < sorted.length; i++) {
      int rank = sorted.length - 1 - i;
      w[Math.min(rank, platforms - 1)] += sorted[i];
    }
    double total = Arrays.stream(w).sum();
    for (int i = 0; i < platforms; i++) {
      w[i] /= total;
    }
    return w;
  }
}
