package org.slimj.search.joslim;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;
import java.util.random.RandomGenerator;
import org.apache.commons.math3.random.SobolSequenceGenerator;

/**
 * Minimizes a function over the unit cube [0, 1]^D the way BoTorch's {@code optimize_acqf} does in
 * Joslim, without gradients: {@code rawSamples} points of a randomly shifted Sobol sequence
 * (Cranley–Patterson rotation, so successive calls differ), then a compass (coordinate pattern)
 * search from each of the best {@code restarts} points, with steps halving from 0.1 down to 1e-3;
 * the best point found is returned, inside the cube.
 *
 * @param rawSamples Sobol points, at least 1
 * @param restarts local searches from the best raw points, at least 1
 * @param maxLocalEvaluations function evaluations per local search, at least 0
 */
public record AcquisitionOptimizer(int rawSamples, int restarts, int maxLocalEvaluations) {
  /** 1000 raw samples and 5 restarts (Joslim's settings), 200 evaluations per local search. */
  public static final AcquisitionOptimizer DEFAULT = new AcquisitionOptimizer(1000, 5, 200);

  public AcquisitionOptimizer {
    if (rawSamples < 1 || restarts < 1 || maxLocalEvaluations < 0) {
      throw new IllegalArgumentException("acquisition optimizer: expected rawSamples >= 1, restarts >= 1,"
          + " maxLocalEvaluations >= 0; found " + rawSamples + ", " + restarts + ", " + maxLocalEvaluations);
    }
  }

  /** The minimizer found of {@code f} over [0, 1]^{@code dims}. */
  public double[] minimize(ToDoubleFunction<double[]> f, int dims, RandomGenerator rng) {
    if (dims < 1 || dims > 1000) {
      throw new IllegalArgumentException("acquisition optimizer: expected 1 to 1000 dimensions, found " + dims);
    }
    SobolSequenceGenerator sobol = new SobolSequenceGenerator(dims);
    double[] shift = new double[dims];
    for (int d = 0; d < dims; d++) {
      shift[d] = rng.nextDouble();
    }
    double[][] pts = new double[rawSamples][];
    double[] vals = new double[rawSamples];
    Integer[] order = new Integer[rawSamples];
    for (int i = 0; i < rawSamples; i++) {
      double[] p = sobol.nextVector();
      for (int d = 0; d < dims; d++) {
        p[d] = (p[d] + shift[d]) % 1.0;
      }
      pts[i] = p;
      vals[i] = f.applyAsDouble(p);
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(vals[a], vals[b]));
    double[] best = pts[order[0]].clone();
    double bestValue = vals[order[0]];
    for (int r = 0; r < Math.min(restarts, rawSamples); r++) {
      double[] x = pts[order[r]].clone();
      double v = compassSearch(f, x, vals[order[r]]);
      if (v < bestValue) {
        bestValue = v;
        best = x;
      }
    }
    return best;
  }

  /** Improves {@code x} in place by coordinate steps; returns its final value. */
  private double compassSearch(ToDoubleFunction<double[]> f, double[] x, double value) {
    double step = 0.1;
    int evals = 0;
    double v = value;
    while (step >= 1e-3 && evals < maxLocalEvaluations) {
      boolean moved = false;
      for (int d = 0; d < x.length && evals < maxLocalEvaluations; d++) {
        for (int sign = -1; sign <= 1 && evals < maxLocalEvaluations; sign += 2) {
          double old = x[d];
          double next = Math.min(1, Math.max(0, old + sign * step));
          if (next == old) {
            continue;
          }
          x[d] = next;
          double t = f.applyAsDouble(x);
          evals++;
          if (t < v) {
            v = t;
            moved = true;
            break;
          }
          x[d] = old;
        }
      }
      if (!moved) {
        step /= 2;
      }
    }
    return v;
  }
}
