package org.slimj.search.ows;

/**
 * Per-variable marginals of the Gibbs distribution {@code p(c) ∝ exp((score(c) - gamma·cost(c)) /
 * temperature)} over a {@link ChainProblem}, by the sum-product (forward-backward) recursion in log
 * space: AOWS's adaptive sampling draws each layer's training width from these (AOWS §3.3).
 */
public final class ChainMarginals {
  private ChainMarginals() {}

  /** {@code marginals[i][k]} = p(c_i = k). */
  public static double[][] compute(ChainProblem p, double gamma, double temperature) {
    if (!(temperature > 0) || !(gamma >= 0)) {
      throw new IllegalArgumentException("expected temperature > 0 and gamma >= 0, found " + temperature + ", " + gamma);
    }
    int l = p.length();
    double[][] node = new double[l][];
    for (int i = 0; i < l; i++) {
      node[i] = new double[p.choices(i)];
      for (int k = 0; k < node[i].length; k++) {
        node[i][k] = (p.unary()[i][k] - gamma * p.unaryCost()[i][k]) / temperature;
      }
    }
    double[][] fwd = new double[l][];
    fwd[0] = node[0].clone();
    for (int i = 1; i < l; i++) {
      fwd[i] = new double[p.choices(i)];
      for (int b = 0; b < fwd[i].length; b++) {
        double[] terms = new double[fwd[i - 1].length];
        for (int a = 0; a < terms.length; a++) {
          terms[a] = fwd[i - 1][a] - gamma * p.pairCost()[i][a][b] / temperature;
        }
        fwd[i][b] = logSumExp(terms) + node[i][b];
      }
    }
    double[][] bwd = new double[l][];
    bwd[l - 1] = new double[p.choices(l - 1)];
    for (int i = l - 2; i >= 0; i--) {
      bwd[i] = new double[p.choices(i)];
      for (int a = 0; a < bwd[i].length; a++) {
        double[] terms = new double[p.choices(i + 1)];
        for (int b = 0; b < terms.length; b++) {
          terms[b] = bwd[i + 1][b] + node[i + 1][b] - gamma * p.pairCost()[i + 1][a][b] / temperature;
        }
        bwd[i][a] = logSumExp(terms);
      }
    }
    double[][] out = new double[l][];
    for (int i = 0; i < l; i++) {
      double[] t = new double[p.choices(i)];
      for (int k = 0; k < t.length; k++) {
        t[k] = fwd[i][k] + bwd[i][k];
      }
      double z = logSumExp(t);
      out[i] = new double[t.length];
      for (int k = 0; k < t.length; k++) {
        out[i][k] = Math.exp(t[k] - z);
      }
    }
    return out;
  }

  static double logSumExp(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      m = Math.max(m, x);
    }
    if (m == Double.NEGATIVE_INFINITY) {
      return m;
    }
    double s = 0;
    for (double x : v) {
      s += Math.exp(x - m);
    }
    return m + Math.log(s);
  }
}
