package org.slimj.search.joslim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/** The Gaussian process: interpolation, variance, likelihood against a direct computation, and the fit. */
class GaussianProcessTest {
  private static double[][] randomInputs(SplittableRandom r, int n, int dims) {
    double[][] x = new double[n][dims];
    for (double[] row : x) {
      for (int d = 0; d < dims; d++) {
        row[d] = r.nextDouble();
      }
    }
    return x;
  }

  private static double f(double[] x) {
    return Math.sin(3 * x[0]) + 0.5 * x[1] * x[1];
  }

  @Test
  void maternValues() {
    assertEquals(1.0, KernelStructure.matern52(0), 0);
    double s = Math.sqrt(5);
    assertEquals((1 + s + 5.0 / 3) * Math.exp(-s), KernelStructure.matern52(1), 1e-15);
    double[] a = {0.1, 0.7};
    double[] b = {0.4, 0.2};
    double[] ls = {0.5, 2.0};
    assertEquals(1.5 * (KernelStructure.matern52(0.3 / 0.5) + KernelStructure.matern52(0.5 / 2.0)),
        KernelStructure.ADDITIVE.covariance(a, b, ls, 1.5), 1e-15);
    assertEquals(1.5 * KernelStructure.matern52(Math.hypot(0.3 / 0.5, 0.5 / 2.0)),
        KernelStructure.ARD.covariance(a, b, ls, 1.5), 1e-15);
  }

  @Test
  void interpolatesNoiseFreeDataWithZeroVarianceThereAndMoreAway() {
    for (KernelStructure ks : KernelStructure.values()) {
      long seed = 7;
      SplittableRandom r = new SplittableRandom(seed);
      double[][] x = randomInputs(r, 12, 2);
      double[] y = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        y[i] = f(x[i]);
      }
      GaussianProcess gp = GaussianProcess.condition(x, y, ks, new GpHyperparameters(new double[] {0.4, 0.6}, 1.0, 1e-9));
      for (int i = 0; i < x.length; i++) {
        GaussianProcess.Prediction p = gp.predict(x[i]);
        assertEquals(y[i], gp.unstandardize(p.mean()), 1e-4, ks + " seed " + seed + " point " + i);
        assertTrue(p.variance() < 1e-6, ks + " variance at a training point: " + p.variance());
      }
      GaussianProcess.Prediction far = gp.predict(new double[] {30.0, -20.0});
      assertTrue(far.variance() > 0.5 * ks.priorVariance(2, 1.0), ks + " variance far away: " + far.variance());
      assertEquals(0.0, far.mean(), 1e-3, ks + ": mean reverts to the prior mean far away");
      GaussianProcess.Prediction between = gp.predict(new double[] {0.5, 0.5});
      assertTrue(between.variance() > 1e-6, ks + " variance between points: " + between.variance());
    }
  }

  @Test
  void logLikelihoodMatchesDirectComputation() {
    double[][] x = {{0.1, 0.2}, {0.5, 0.9}, {0.8, 0.3}};
    double[] y = {1.0, -0.5, 2.0};
    GpHyperparameters h = new GpHyperparameters(new double[] {0.3, 0.7}, 1.3, 0.05);
    for (KernelStructure ks : KernelStructure.values()) {
      GaussianProcess gp = GaussianProcess.condition(x, y, ks, h);
      double mean = (1.0 - 0.5 + 2.0) / 3;
      double sd = Math.sqrt(((1 - mean) * (1 - mean) + (-0.5 - mean) * (-0.5 - mean) + (2 - mean) * (2 - mean)) / 2);
      double[] z = new double[3];
      for (int i = 0; i < 3; i++) {
        z[i] = (y[i] - mean) / sd;
      }
      double[][] k = new double[3][3];
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          k[i][j] = ks.covariance(x[i], x[j], h.lengthscales(), h.outputScale()) + (i == j ? h.noise() : 0);
        }
      }
      RealMatrix km = new Array2DRowRealMatrix(k);
      LUDecomposition lu = new LUDecomposition(km);
      double quad = new ArrayRealVector(z).dotProduct(lu.getSolver().getInverse().operate(new ArrayRealVector(z)));
      double expected = -0.5 * quad - 0.5 * Math.log(lu.getDeterminant()) - 1.5 * Math.log(2 * Math.PI);
      assertEquals(expected, gp.logMarginalLikelihood(), 1e-10, ks.toString());
    }
  }

  @Test
  void fitImprovesTheObjectiveOverItsStartsAndPredictsHeldOutPoints() {
    long seed = 11;
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = randomInputs(r, 30, 3);
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = f(x[i]) + 0.01 * r.nextGaussian();
    }
    GaussianProcess gp = GpFitter.DEFAULT.fit(x, y, KernelStructure.ARD, new SplittableRandom(seed));
    double fitted = GpFitter.objective(x, y, KernelStructure.ARD, gp.hyperparameters());
    double start = GpFitter.objective(x, y, KernelStructure.ARD, GpFitter.defaultStart(3));
    assertTrue(fitted > start + 1, "seed " + seed + ": fitted " + fitted + " vs default start " + start);
    for (double l : new double[] {0.05, 5}) {
      double other = GpFitter.objective(x, y, KernelStructure.ARD,
          new GpHyperparameters(new double[] {l, l, l}, 1.0, 0.01));
      assertTrue(fitted > other, "seed " + seed + ": fitted " + fitted + " vs lengthscale " + l + ": " + other);
    }
    double sse = 0;
    double sst = 0;
    for (int t = 0; t < 50; t++) {
      double[] q = {r.nextDouble(), r.nextDouble(), r.nextDouble()};
      double e = gp.unstandardize(gp.predict(q).mean()) - f(q);
      sse += e * e;
      sst += f(q) * f(q);
    }
    assertTrue(sse < 0.05 * sst, "seed " + seed + ": held-out squared error " + sse + " of " + sst);
    assertTrue(gp.hyperparameters().lengthscales()[2] > gp.hyperparameters().lengthscales()[0],
        "the irrelevant third input gets the longer lengthscale: " + gp.hyperparameters());
  }

  @Test
  void fitIsDeterministicAndSubsamplesLargeSets() {
    SplittableRandom r = new SplittableRandom(5);
    double[][] x = randomInputs(r, 40, 2);
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = f(x[i]);
    }
    GpFitter small = new GpFitter(2, 100, 15);
    GaussianProcess a = small.fit(x, y, KernelStructure.ADDITIVE, new SplittableRandom(9));
    GaussianProcess b = small.fit(x, y, KernelStructure.ADDITIVE, new SplittableRandom(9));
    assertEquals(a.hyperparameters().toString(), b.hyperparameters().toString());
    assertEquals(40, a.size(), "conditioned on every point");
  }

  @Test
  void duplicatePointsNeedJitterAndBadInputsFail() {
    double[][] x = {{0.5}, {0.5}, {0.5}};
    GaussianProcess gp = GaussianProcess.condition(x, new double[] {1, 1, 1}, KernelStructure.ARD,
        new GpHyperparameters(new double[] {0.5}, 1.0, 1e-300));
    assertTrue(Double.isFinite(gp.predict(new double[] {0.2}).mean()));
    assertThrows(IllegalArgumentException.class, () -> GaussianProcess.condition(x, new double[] {1, 2},
        KernelStructure.ARD, GpFitter.defaultStart(1)));
    assertThrows(IllegalArgumentException.class, () -> GaussianProcess.condition(new double[][] {{Double.NaN}},
        new double[] {1}, KernelStructure.ARD, GpFitter.defaultStart(1)));
    assertThrows(IllegalArgumentException.class, () -> gp.predict(new double[] {0.1, 0.2}));
    assertThrows(IllegalArgumentException.class, () -> new GpHyperparameters(new double[] {0}, 1, 1));
  }
}
