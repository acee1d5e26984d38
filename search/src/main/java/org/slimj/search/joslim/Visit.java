package org.slimj.search.joslim;

import java.util.Arrays;

/**
 * One width vector Joslim trained: its multipliers, its cost ratio, its latest held-out loss (NaN
 * until first scored), the training step at which it was proposed and how.
 *
 * @param alpha width multiplier per slot
 * @param cost cost ratio to the full configuration
 * @param loss held-out loss at the latest re-scoring, NaN before the first
 * @param step training step at which it was proposed
 * @param origin {@code warmup} (uniform), {@code full} (α = 1), or {@code gp} (surrogate-driven)
 */
public record Visit(double[] alpha, double cost, double loss, long step, String origin) {
  public Visit {
    alpha = alpha.clone();
    if (!Double.isFinite(cost) || cost < 0 || step < 0 || origin == null) {
      throw new IllegalArgumentException("Joslim visit: expected a finite cost >= 0, step >= 0 and an origin, found "
          + cost + ", " + step + ", " + origin);
    }
  }

  @Override
  public double[] alpha() {
    return alpha.clone();
  }

  /** The same visit with loss {@code l}. */
  public Visit withLoss(double l) {
    return new Visit(alpha, cost, l, step, origin);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Visit v && Arrays.equals(v.alpha, alpha) && Double.compare(v.cost, cost) == 0
        && Double.compare(v.loss, loss) == 0 && v.step == step && v.origin.equals(origin);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(alpha) * 31 + Long.hashCode(step);
  }

  @Override
  public String toString() {
    return "Visit[alpha=" + Arrays.toString(alpha) + ", cost=" + cost + ", loss=" + loss + ", step=" + step + ", origin="
        + origin + "]";
  }
}
