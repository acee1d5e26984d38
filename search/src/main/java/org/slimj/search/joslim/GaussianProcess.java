package org.slimj.search.joslim;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;

/**
 * A zero-mean Gaussian process on standardized targets with a Matérn ν = 5/2 covariance (ARD or
 * additive, see {@link KernelStructure}) and Gaussian observation noise: the surrogate model of
 * Joslim (Chin et al., ECML-PKDD 2021, §4; BoTorch's SingleTaskGP in the reference code). Immutable
 * once conditioned. Predictions are in standardized units ({@code (y − mean) / std} of the
 * training targets), which is where Joslim's acquisition works.
 */
public final class GaussianProcess {
  /** Diagonal jitters tried in turn (times the mean diagonal) when the covariance is not positive definite. */
  private static final double[] JITTERS = {0, 1e-8, 1e-6, 1e-4, 1e-2};

  private final KernelStructure structure;
  private final GpHyperparameters hyper;
  private final double[][] x;
  private final double yMean;
  private final double yStd;
  private final double[][] lower;
  private final double[] weights;
  private final double logMarginalLikelihood;

  /**
   * A prediction at one input, in standardized units.
   *
   * @param mean posterior mean
   * @param variance posterior variance of the latent function (without observation noise), ≥ 0
   */
  public record Prediction(double mean, double variance) {
    /** Upper confidence bound {@code mean + sqrt(beta·variance)} (BoTorch's UCB convention). */
    public double ucb(double beta) {
      return mean + Math.sqrt(beta * variance);
    }
  }

  private GaussianProcess(KernelStructure structure, GpHyperparameters hyper, double[][] x, double yMean, double yStd,
      double[][] lower, double[] weights, double lml) {
    this.structure = structure;
    this.hyper = hyper;
    this.x = x;
    this.yMean = yMean;
    this.yStd = yStd;
    this.lower = lower;
    this.weights = weights;
    this.logMarginalLikelihood = lml;
  }

  /**
   * Conditions a GP with fixed hyperparameters on inputs {@code x} (n rows of D values) and targets
   * {@code y} (standardized internally).
   */
  public static GaussianProcess condition(double[][] x, double[] y, KernelStructure structure, GpHyperparameters hyper) {
    double[][] xs = copyInputs(x, y);
    if (hyper.lengthscales().length != xs[0].length) {
      throw new IllegalArgumentException("GP: expected " + xs[0].length + " lengthscales (one per input dimension), found "
          + hyper.lengthscales().length);
    }
    double mean = 0;
    for (double v : y) {
      mean += v;
    }
    mean /= y.length;
    double var = 0;
    for (double v : y) {
      var += (v - mean) * (v - mean);
    }
    double std = y.length > 1 ? Math.sqrt(var / (y.length - 1)) : 0;
    if (!(std > 1e-12)) {
      std = 1;
    }
    double[] z = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      z[i] = (y[i] - mean) / std;
    }
    int n = xs.length;
    double[][] l = cholesky(covariance(xs, structure, hyper));
    double[] w = solveUpper(l, solveLower(l, z));
    double lml = -0.5 * dot(z, w) - 0.5 * n * Math.log(2 * Math.PI);
    for (int i = 0; i < n; i++) {
      lml -= Math.log(l[i][i]);
    }
    return new GaussianProcess(structure, hyper, xs, mean, std, l, w, lml);
  }

  /** The noisy training covariance {@code K + noise·I}. */
  static double[][] covariance(double[][] x, KernelStructure structure, GpHyperparameters h) {
    int n = x.length;
    double[][] k = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double v = structure.covariance(x[i], x[j], h.lengthscales(), h.outputScale());
        k[i][j] = v;
        k[j][i] = v;
      }
      k[i][i] = structure.priorVariance(x[i].length, h.outputScale()) + h.noise();
    }
    return k;
  }

  /** The lower Cholesky factor of {@code k}, retrying with growing diagonal jitter; fails if none works. */
  static double[][] cholesky(double[][] k) {
    int n = k.length;
    double meanDiag = 0;
    for (int i = 0; i < n; i++) {
      meanDiag += k[i][i] / n;
    }
    NonPositiveDefiniteMatrixException last = null;
    for (double jitter : JITTERS) {
      double[][] a = new double[n][];
      for (int i = 0; i < n; i++) {
        a[i] = k[i].clone();
        a[i][i] += jitter * meanDiag;
      }
      try {
        return new CholeskyDecomposition(new Array2DRowRealMatrix(a, false), 1e-10, 1e-300).getL().getData();
      } catch (NonPositiveDefiniteMatrixException e) {
        last = e;
      }
    }
    throw new IllegalStateException("GP: covariance of " + n + " points is not positive definite even with jitter "
        + JITTERS[JITTERS.length - 1] + " x mean diagonal", last);
  }

  private static double[][] copyInputs(double[][] x, double[] y) {
    if (x.length == 0 || x.length != y.length) {
      throw new IllegalArgumentException("GP: expected n >= 1 inputs and n targets, found " + x.length + " inputs and "
          + y.length + " targets");
    }
    int dims = x[0].length;
    if (dims < 1) {
      throw new IllegalArgumentException("GP: expected inputs of at least one dimension, found 0");
    }
    double[][] xs = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      if (x[i].length != dims) {
        throw new IllegalArgumentException("GP: input " + i + " has " + x[i].length + " dimensions, expected " + dims);
      }
      for (double v : x[i]) {
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("GP: input " + i + " is not finite: " + java.util.Arrays.toString(x[i]));
        }
      }
      if (!Double.isFinite(y[i])) {
        throw new IllegalArgumentException("GP: target " + i + " is not finite: " + y[i]);
      }
      xs[i] = x[i].clone();
    }
    return xs;
  }

  static double[] solveLower(double[][] l, double[] b) {
    int n = b.length;
    double[] z = new double[n];
    for (int i = 0; i < n; i++) {
      double s = b[i];
      double[] li = l[i];
      for (int j = 0; j < i; j++) {
        s -= li[j] * z[j];
      }
      z[i] = s / li[i];
    }
    return z;
  }

  static double[] solveUpper(double[][] l, double[] z) {
    int n = z.length;
    double[] w = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double s = z[i];
      for (int j = i + 1; j < n; j++) {
        s -= l[j][i] * w[j];
      }
      w[i] = s / l[i][i];
    }
    return w;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** Posterior mean and latent variance at {@code q}, in standardized units. */
  public Prediction predict(double[] q) {
    if (q.length != x[0].length) {
      throw new IllegalArgumentException("GP: expected a query of " + x[0].length + " dimensions, found " + q.length);
    }
    int n = x.length;
    double[] ks = new double[n];
    for (int i = 0; i < n; i++) {
      ks[i] = structure.covariance(q, x[i], hyper.lengthscales(), hyper.outputScale());
    }
    double mean = dot(ks, weights);
    double[] v = solveLower(lower, ks);
    double var = structure.priorVariance(q.length, hyper.outputScale()) - dot(v, v);
    return new Prediction(mean, Math.max(0, var));
  }

  /** {@code (y − mean) / std} with the training targets' mean and standard deviation. */
  public double standardize(double y) {
    return (y - yMean) / yStd;
  }

  /** Inverse of {@link #standardize}. */
  public double unstandardize(double z) {
    return z * yStd + yMean;
  }

  /** Log marginal likelihood of the standardized training targets (without priors). */
  public double logMarginalLikelihood() {
    return logMarginalLikelihood;
  }

  /** The hyperparameters. */
  public GpHyperparameters hyperparameters() {
    return hyper;
  }

  /** The covariance structure. */
  public KernelStructure structure() {
    return structure;
  }

  /** Number of training points. */
  public int size() {
    return x.length;
  }

  /** Input dimensions. */
  public int dimensions() {
    return x[0].length;
  }
}
