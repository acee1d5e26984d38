package org.slimj.search.ows;

/**
 * Exact maximisation of {@code score(c) - gamma * cost(c)} over a {@link ChainProblem} by the
 * max-sum (Viterbi) recursion (AOWS §3.2, "OWS decode"): O(Σ K_{i-1}·K_i) time. Ties go to the
 * smaller choice index, so results are deterministic.
 */
public final class ChainViterbi {
  private ChainViterbi() {}

  /** The optimal assignment at trade-off {@code gamma >= 0}. */
  public static int[] solve(ChainProblem p, double gamma) {
    if (!(gamma >= 0) || Double.isInfinite(gamma)) {
      throw new IllegalArgumentException("gamma must be finite and >= 0, found " + gamma);
    }
    int l = p.length();
    double[][] best = new double[l][];
    int[][] from = new int[l][];
    best[0] = new double[p.choices(0)];
    for (int k = 0; k < p.choices(0); k++) {
      best[0][k] = p.unary()[0][k] - gamma * p.unaryCost()[0][k];
    }
    for (int i = 1; i < l; i++) {
      int kc = p.choices(i);
      best[i] = new double[kc];
      from[i] = new int[kc];
      double[][] pair = p.pairCost()[i];
      for (int b = 0; b < kc; b++) {
        double m = Double.NEGATIVE_INFINITY;
        int arg = 0;
        for (int a = 0; a < best[i - 1].length; a++) {
          double v = best[i - 1][a] - gamma * pair[a][b];
          if (v > m) {
            m = v;
            arg = a;
          }
        }
        best[i][b] = m + p.unary()[i][b] - gamma * p.unaryCost()[i][b];
        from[i][b] = arg;
      }
    }
    int[] c = new int[l];
    double m = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < best[l - 1].length; k++) {
      if (best[l - 1][k] > m) {
        m = best[l - 1][k];
        c[l - 1] = k;
      }
    }
    for (int i = l - 1; i > 0; i--) {
      c[i - 1] = from[i][c[i]];
    }
    return c;
  }
}
