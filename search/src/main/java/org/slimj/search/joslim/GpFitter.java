package org.slimj.search.joslim;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * Fits a {@link GaussianProcess}'s hyperparameters by maximizing the log marginal likelihood plus the
 * Gamma log-priors of Joslim §4 ({@link GpHyperparameters#logPrior}) with BOBYQA (gradient-free,
 * bounded) over the log-parameters, from a default start and {@code starts − 1} seeded random ones;
 * the best point evaluated wins (a run that uses up its evaluation budget ends there). Above {@code maxFitPoints} points the hyperparameters are fitted on a seeded
 * random subset (the GP is then conditioned on all points), which bounds the O(n³) cost per
 * evaluation.
 *
 * @param starts BOBYQA runs, at least 1
 * @param maxEvaluations objective evaluations per run, at least 10
 * @param maxFitPoints points used to fit hyperparameters, at least 2
 */
public record GpFitter(int starts, int maxEvaluations, int maxFitPoints) {
  /** Three starts, 400 evaluations each, at most 200 points. */
  public static final GpFitter DEFAULT = new GpFitter(3, 400, 200);

  static final double LOG_LENGTHSCALE_MIN = Math.log(1e-2);
  static final double LOG_LENGTHSCALE_MAX = Math.log(20);
  static final double LOG_OUTPUTSCALE_MIN = Math.log(1e-3);
  static final double LOG_OUTPUTSCALE_MAX = Math.log(50);
  static final double LOG_NOISE_MIN = Math.log(1e-6);
  static final double LOG_NOISE_MAX = Math.log(2);

  public GpFitter {
    if (starts < 1 || maxEvaluations < 10 || maxFitPoints < 2) {
      throw new IllegalArgumentException("GP fit: expected starts >= 1, maxEvaluations >= 10, maxFitPoints >= 2; found "
          + starts + ", " + maxEvaluations + ", " + maxFitPoints);
    }
  }

  /** The objective maximized: log marginal likelihood of the standardized targets plus the log-priors. */
  public static double objective(double[][] x, double[] y, KernelStructure structure, GpHyperparameters h) {
    return GaussianProcess.condition(x, y, structure, h).logMarginalLikelihood() + h.logPrior();
  }

  /** The default start: lengthscales 0.5 (the prior mean), output scale 1, noise 0.01. */
  public static GpHyperparameters defaultStart(int dims) {
    double[] ls = new double[dims];
    Arrays.fill(ls, 0.5);
    return new GpHyperparameters(ls, 1.0, 0.01);
  }

  /** Fits hyperparameters to {@code (x, y)} and returns the GP conditioned on all points. */
  public GaussianProcess fit(double[][] x, double[] y, KernelStructure structure, RandomGenerator rng) {
    if (x.length == 0 || x.length != y.length) {
      throw new IllegalArgumentException("GP fit: expected n >= 1 inputs and n targets, found " + x.length + " and "
          + y.length);
    }
    int dims = x[0].length;
    double[][] fx = x;
    double[] fy = y;
    if (x.length > maxFitPoints) {
      int[] idx = subset(x.length, maxFitPoints, rng);
      fx = new double[idx.length][];
      fy = new double[idx.length];
      for (int i = 0; i < idx.length; i++) {
        fx[i] = x[idx[i]];
        fy[i] = y[idx[i]];
      }
    }
    final double[][] ox = fx;
    final double[] oy = fy;
    int p = dims + 2;
    double[] lo = new double[p];
    double[] hi = new double[p];
    Arrays.fill(lo, 0, dims, LOG_LENGTHSCALE_MIN);
    Arrays.fill(hi, 0, dims, LOG_LENGTHSCALE_MAX);
    lo[dims] = LOG_OUTPUTSCALE_MIN;
    hi[dims] = LOG_OUTPUTSCALE_MAX;
    lo[dims + 1] = LOG_NOISE_MIN;
    hi[dims + 1] = LOG_NOISE_MAX;
    double[] best = null;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (int s = 0; s < starts; s++) {
      double[] z0 = s == 0 ? clamp(defaultStart(dims).toLog(), lo, hi) : randomStart(lo, hi, rng);
      BestSeen seen = new BestSeen();
      BOBYQAOptimizer opt = new BOBYQAOptimizer(2 * p + 1, 0.5, 1e-4);
      try {
        opt.optimize(
            new MaxEval(maxEvaluations),
            new ObjectiveFunction(z -> seen.offer(z, objective(ox, oy, structure, GpHyperparameters.fromLog(z)))),
            GoalType.MAXIMIZE,
            new InitialGuess(z0),
            new SimpleBounds(lo, hi));
      } catch (TooManyEvaluationsException e) {
        // The evaluation budget is the intended stopping rule: keep the best point evaluated (below).
        assert seen.point != null : e;
      }
      if (best == null || seen.value > bestValue) {
        best = clamp(seen.point, lo, hi);
        bestValue = seen.value;
      }
    }
    return GaussianProcess.condition(x, y, structure, GpHyperparameters.fromLog(best));
  }

  /** The best point an optimizer evaluated (BOBYQA's result is the best it evaluated too). */
  private static final class BestSeen {
    double[] point;
    double value = Double.NEGATIVE_INFINITY;

    double offer(double[] z, double v) {
      if (point == null || v > value) {
        point = z.clone();
        value = v;
      }
      return v;
    }
  }

  private static double[] clamp(double[] z, double[] lo, double[] hi) {
    double[] c = z.clone();
    for (int i = 0; i < c.length; i++) {
      c[i] = Math.min(hi[i], Math.max(lo[i], c[i]));
    }
    return c;
  }

  /** A start inside the middle of the box (away from the bounds BOBYQA's initial radius must clear). */
  private static double[] randomStart(double[] lo, double[] hi, RandomGenerator rng) {
    double[] z = new double[lo.length];
    for (int i = 0; i < z.length; i++) {
      double w = hi[i] - lo[i];
      z[i] = lo[i] + w * (0.15 + 0.7 * rng.nextDouble());
    }
    return z;
  }

  /** {@code k} distinct indices of {@code [0, n)} in increasing order (partial Fisher–Yates). */
  private static int[] subset(int n, int k, RandomGenerator rng) {
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    for (int i = 0; i < k; i++) {
      int j = i + rng.nextInt(n - i);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    int[] out = Arrays.copyOf(perm, k);
    Arrays.sort(out);
    return out;
  }
}
