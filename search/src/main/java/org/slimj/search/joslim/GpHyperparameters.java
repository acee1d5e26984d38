package org.slimj.search.joslim;

/**
 * Hyperparameters of a {@link GaussianProcess}, in standardized target units.
 *
 * @param lengthscales one per input dimension, positive
 * @param outputScale signal variance σ², positive
 * @param noise observation noise variance, positive
 */
public record GpHyperparameters(double[] lengthscales, double outputScale, double noise) {
  public GpHyperparameters {
    lengthscales = lengthscales.clone();
    for (double l : lengthscales) {
      if (!(l > 0) || Double.isInfinite(l)) {
        throw new IllegalArgumentException("GP: expected positive finite lengthscales, found " + l);
      }
    }
    if (!(outputScale > 0) || !(noise > 0) || Double.isInfinite(outputScale) || Double.isInfinite(noise)) {
      throw new IllegalArgumentException(
          "GP: expected positive finite output scale and noise, found " + outputScale + ", " + noise);
    }
  }

  /** The log-parameter vector {@code [ln ℓ_1..ln ℓ_D, ln σ², ln noise]} that the fit optimizes. */
  public double[] toLog() {
    double[] z = new double[lengthscales.length + 2];
    for (int d = 0; d < lengthscales.length; d++) {
      z[d] = Math.log(lengthscales[d]);
    }
    z[lengthscales.length] = Math.log(outputScale);
    z[lengthscales.length + 1] = Math.log(noise);
    return z;
  }

  /** Inverse of {@link #toLog}. */
  public static GpHyperparameters fromLog(double[] z) {
    int dims = z.length - 2;
    double[] ls = new double[dims];
    for (int d = 0; d < dims; d++) {
      ls[d] = Math.exp(z[d]);
    }
    return new GpHyperparameters(ls, Math.exp(z[dims]), Math.exp(z[dims + 1]));
  }

  /** Sum of the Gamma log-priors of Joslim §4 (lengthscales Γ(3, 6), output scale Γ(2, 0.15), noise Γ(1.1, 0.05)). */
  public double logPrior() {
    double s = 0;
    for (double l : lengthscales) {
      s += GammaPrior.LENGTHSCALE.logDensity(l);
    }
    return s + GammaPrior.OUTPUTSCALE.logDensity(outputScale) + GammaPrior.NOISE.logDensity(noise);
  }

  @Override
  public String toString() {
    return "GpHyperparameters[lengthscales=" + java.util.Arrays.toString(lengthscales) + ", outputScale=" + outputScale
        + ", noise=" + noise + "]";
  }
}
