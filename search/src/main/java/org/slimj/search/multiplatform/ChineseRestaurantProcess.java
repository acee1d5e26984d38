package org.slimj.search.multiplatform;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Platform weightings drawn from a Chinese restaurant process (Aldous 1985), as Wang &amp; Blaschko
 * (NLDL 2022) use to simulate market regimes: customer {@code n+1} joins table {@code k} with
 * probability {@code n_k / (n + alpha)} and opens a new table with probability {@code alpha / (n +
 * alpha)}; each new table is served one of the platforms, drawn uniformly, and a platform's weight
 * is the share of customers at its tables. This is the CRP's Dirichlet process with a uniform base
 * measure over the platforms, so as the number of customers grows the weights follow a symmetric
 * Dirichlet(alpha / P) distribution: small {@code alpha} gives one dominant platform, large {@code
 * alpha} weights near {@code 1 / P}, and no platform is favoured by its position in the list. (The
 * paper's exact assignment of tables to platforms was not available; an earlier version here sorted
 * the tables and merged those beyond P into the last platform, which gave that platform most of
 * the mass at large {@code alpha}.)
 */
public final class ChineseRestaurantProcess {
  private ChineseRestaurantProcess() {}

  /** Weights of {@code platforms} platforms from seating {@code customers} with concentration {@code alpha}. */
  public static double[] weights(int platforms, double alpha, int customers, RandomGenerator rng) {
    if (platforms < 1 || !(alpha > 0) || Double.isInfinite(alpha) || customers < 1) {
      throw new IllegalArgumentException("CRP: expected platforms >= 1, finite alpha > 0, customers >= 1; found "
          + platforms + ", " + alpha + ", " + customers);
    }
    List<Integer> tableSize = new ArrayList<>();
    List<Integer> tablePlatform = new ArrayList<>();
    for (int n = 0; n < customers; n++) {
      double u = rng.nextDouble() * (n + alpha);
      int chosen = -1;
      double acc = 0;
      for (int t = 0; t < tableSize.size() && chosen < 0; t++) {
        acc += tableSize.get(t);
        if (u < acc) {
          chosen = t;
        }
      }
      if (chosen < 0) {
        tableSize.add(1);
        tablePlatform.add(rng.nextInt(platforms));
      } else {
        tableSize.set(chosen, tableSize.get(chosen) + 1);
      }
    }
    double[] w = new double[platforms];
    for (int t = 0; t < tableSize.size(); t++) {
      w[tablePlatform.get(t)] += (double) tableSize.get(t) / customers;
    }
    return w;
  }
}
