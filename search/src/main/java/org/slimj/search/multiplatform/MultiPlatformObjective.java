package org.slimj.search.multiplatform;

import java.util.List;

/**
 * The multi-platform objective (Wang &amp; Blaschko, NLDL 2022; our reconstruction, ALGORITHMS.md
 * §6): {@code Σ_p share_p · accuracy(c*_p)}, with {@code c*_p} platform p's best configuration
 * under its own budget.
 */
public final class MultiPlatformObjective {
  private MultiPlatformObjective() {}

  /** The share-weighted accuracy; {@code accuracy[i]} belongs to {@code platforms.get(i)}. */
  public static double weighted(List<Platform> platforms, double[] accuracy) {
    if (accuracy.length != platforms.size()) {
      throw new IllegalArgumentException("expected one accuracy per platform (" + platforms.size() + "), found "
          + accuracy.length);
    }
    double s = 0;
    double w = 0;
    for (int i = 0; i < accuracy.length; i++) {
      s += platforms.get(i).share() * accuracy[i];
      w += platforms.get(i).share();
    }
    if (Math.abs(w - 1) > 1e-9) {
      throw new IllegalArgumentException("platform shares must sum to 1, found " + w);
    }
    return s;
  }
}
