package org.slimj.search.joslim;

import org.apache.commons.math3.special.Gamma;

/**
 * A Gamma(concentration, rate) prior on a positive hyperparameter, used as a log-prior term added to
 * a Gaussian process's log marginal likelihood (as GPyTorch does: the density of the parameter
 * itself, no change-of-variables term for the log parameterisation).
 *
 * @param concentration shape {@code a > 0}
 * @param rate rate {@code b > 0} (mean {@code a / b})
 */
public record GammaPrior(double concentration, double rate) {
  /** Joslim's lengthscale prior Γ(3, 6). */
  public static final GammaPrior LENGTHSCALE = new GammaPrior(3.0, 6.0);

  /** Joslim's output-scale prior Γ(2, 0.15). */
  public static final GammaPrior OUTPUTSCALE = new GammaPrior(2.0, 0.15);

  /** BoTorch's default noise-variance prior Γ(1.1, 0.05). */
  public static final GammaPrior NOISE = new GammaPrior(1.1, 0.05);

  public GammaPrior {
    if (!(concentration > 0) || !(rate > 0)) {
      throw new IllegalArgumentException(
          "Gamma prior: expected concentration > 0 and rate > 0, found " + concentration + ", " + rate);
    }
  }

  /** Log density at {@code x > 0}: {@code a·ln b − lnΓ(a) + (a − 1)·ln x − b·x}. */
  public double logDensity(double x) {
    if (!(x > 0)) {
      throw new IllegalArgumentException("Gamma prior: expected a positive value, found " + x);
    }
    return concentration * Math.log(rate) - Gamma.logGamma(concentration) + (concentration - 1) * Math.log(x) - rate * x;
  }
}
