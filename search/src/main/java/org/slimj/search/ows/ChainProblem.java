package org.slimj.search.ows;

/**
 * A chain-structured choice problem (AOWS, Berman et al., CVPR 2020, §3): variables {@code 0..L-1},
 * variable {@code i} taking one of {@code K_i} choices (channel counts). Each choice has a score
 * {@code unary[i][k]} (higher is better: the per-layer loss credit) and a cost {@code unaryCost[i][k]}
 * (latency terms that depend on this variable alone); consecutive variables add a pairwise cost
 * {@code pairCost[i][a][b]} for variable {@code i-1} at choice a and variable {@code i} at b (the
 * latency of the layer between them). {@code pairCost[0]} is unused.
 *
 * @param unary score per variable and choice
 * @param unaryCost cost per variable and choice
 * @param pairCost pairwise cost between consecutive variables
 */
public record ChainProblem(double[][] unary, double[][] unaryCost, double[][][] pairCost) {
  public ChainProblem {
    int l = unary.length;
    if (l == 0 || unaryCost.length != l || pairCost.length != l) {
      throw new IllegalArgumentException(
          "chain problem: expected the same positive number of variables in unary, unaryCost and pairCost,"
              + " found " + unary.length + ", " + unaryCost.length + ", " + pairCost.length);
    }
    for (int i = 0; i < l; i++) {
      int k = unary[i].length;
      if (k == 0 || unaryCost[i].length != k) {
        throw new IllegalArgumentException("variable " + i + ": expected " + k + " > 0 choices in unary and unaryCost");
      }
      if (i > 0) {
        if (pairCost[i].length != unary[i - 1].length) {
          throw new IllegalArgumentException("pairCost[" + i + "]: expected " + unary[i - 1].length + " rows, found "
              + pairCost[i].length);
        }
        for (double[] row : pairCost[i]) {
          if (row.length != k) {
            throw new IllegalArgumentException("pairCost[" + i + "]: expected rows of " + k + ", found " + row.length);
          }
        }
      }
    }
  }

  /** Number of variables. */
  public int length() {
    return unary.length;
  }

  /** Choices of variable {@code i}. */
  public int choices(int i) {
    return unary[i].length;
  }

  /** Total score of an assignment. */
  public double score(int[] c) {
    double s = 0;
    for (int i = 0; i < c.length; i++) {
      s += unary[i][c[i]];
    }
    return s;
  }

  /** Total cost (latency) of an assignment. */
  public double cost(int[] c) {
    double s = 0;
    for (int i = 0; i < c.length; i++) {
      s += unaryCost[i][c[i]];
      if (i > 0) {
        s += pairCost[i][c[i - 1]][c[i]];
      }
    }
    return s;
  }
}
