package org.slimj.search.joslim;

/**
 * Joslim's acquisition (Chin et al., ECML-PKDD 2021, §4 and the reference code): the augmented
 * Tchebyshev scalarization of the upper confidence bounds of the loss and cost surrogates,
 * {@code T_λ(u) = max(a, c) + ρ·(a + c)} with {@code a = (1 − λ)(UCB_loss(u) − b)} and {@code c =
 * λ(UCB_cost(u) − b)}, to be minimized. Both bounds are in standardized units, {@code b} is the
 * reference point (−3), {@code UCB = μ + sqrt(β·σ²)} with β = 0.1, ρ = 1e-6. As in the reference
 * code it minimizes an upper bound, a conservative choice.
 *
 * @param loss surrogate of the held-out loss
 * @param cost surrogate of the cost ratio
 * @param beta UCB exploration weight
 * @param reference reference point b in standardized units
 * @param rho augmentation weight
 */
public record TchebyshevUcb(GaussianProcess loss, GaussianProcess cost, double beta, double reference, double rho) {
  /** Joslim's β = 0.1. */
  public static final double BETA = 0.1;

  /** Joslim's reference point b = −3 (standardized). */
  public static final double REFERENCE = -3.0;

  /** Augmentation weight ρ = 1e-6. */
  public static final double RHO = 1e-6;

  public TchebyshevUcb {
    if (loss.dimensions() != cost.dimensions()) {
      throw new IllegalArgumentException("acquisition: the loss and cost surrogates have " + loss.dimensions() + " and "
          + cost.dimensions() + " input dimensions");
    }
    if (!(beta >= 0) || !Double.isFinite(reference) || !(rho >= 0)) {
      throw new IllegalArgumentException("acquisition: expected beta >= 0, finite reference, rho >= 0; found " + beta
          + ", " + reference + ", " + rho);
    }
  }

  /** Joslim's settings. */
  public static TchebyshevUcb of(GaussianProcess loss, GaussianProcess cost) {
    return new TchebyshevUcb(loss, cost, BETA, REFERENCE, RHO);
  }

  /** The scalarized value at unit-cube point {@code u} for weight {@code lambda ∈ [0, 1]} on the cost (smaller is better). */
  public double value(double[] u, double lambda) {
    double a = (1 - lambda) * (loss.predict(u).ucb(beta) - reference);
    double c = lambda * (cost.predict(u).ucb(beta) - reference);
    return Math.max(a, c) + rho * (a + c);
  }
}
