package org.slimj.search.multiplatform;

import org.slimj.search.cost.LayerwiseCost;
import org.slimj.search.ows.AdaptiveSampler;

/**
 * One target platform of a network served on several (Wang &amp; Blaschko, NLDL 2022): a per-layer
 * cost (a latency table measured on it, or MACs), the budget its configuration must meet and its
 * share of the deployment (market share), the weight of its accuracy in the objective.
 *
 * @param name name (for output)
 * @param cost the platform's per-layer cost
 * @param budget budget in the cost's unit
 * @param share weight, in [0, 1]; the shares of a set of platforms sum to 1
 */
public record Platform(String name, LayerwiseCost cost, double budget, double share) {
  public Platform {
    if (name == null || name.isBlank() || !(budget > 0) || Double.isInfinite(budget) || !(share >= 0) || share > 1) {
      throw new IllegalArgumentException("platform '" + name + "': expected a name, a positive budget and a share in"
          + " [0, 1]; found budget " + budget + ", share " + share);
    }
  }

  /** The platform as a sampling target. */
  public AdaptiveSampler.Target target() {
    return new AdaptiveSampler.Target(name, cost, budget, share);
  }
}
