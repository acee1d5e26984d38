package org.slimj.search.joslim;

/**
 * How a Gaussian process's covariance combines the input dimensions, both with Matérn ν = 5/2
 * (Joslim, Chin et al. ECML-PKDD 2021, §4: the loss surrogate uses {@link #ARD}, the cost surrogate
 * {@link #ADDITIVE}).
 */
public enum KernelStructure {
  /** {@code σ²·m(r)} with {@code r² = Σ_d ((x_d − x'_d)/ℓ_d)²}: one Matérn over all dimensions, a lengthscale each. */
  ARD,
  /** {@code σ²·Σ_d m(|x_d − x'_d|/ℓ_d)}: a sum of one-dimensional Matérns, a lengthscale each. */
  ADDITIVE;

  /** Matérn ν = 5/2 correlation at scaled distance {@code r ≥ 0}: {@code (1 + √5 r + 5r²/3)·exp(−√5 r)}. */
  public static double matern52(double r) {
    double s = Math.sqrt(5.0) * r;
    return (1 + s + s * s / 3.0) * Math.exp(-s);
  }

  /** The covariance of {@code a} and {@code b} with lengthscales {@code ls} and output scale {@code outputScale}. */
  public double covariance(double[] a, double[] b, double[] ls, double outputScale) {
    if (this == ARD) {
      double r2 = 0;
      for (int d = 0; d < a.length; d++) {
        double t = (a[d] - b[d]) / ls[d];
        r2 += t * t;
      }
      return outputScale * matern52(Math.sqrt(r2));
    }
    double s = 0;
    for (int d = 0; d < a.length; d++) {
      s += matern52(Math.abs(a[d] - b[d]) / ls[d]);
    }
    return outputScale * s;
  }

  /** The prior variance {@code k(x, x)} for {@code dims} input dimensions. */
  public double priorVariance(int dims, double outputScale) {
    return this == ARD ? outputScale : outputScale * dims;
  }
}
