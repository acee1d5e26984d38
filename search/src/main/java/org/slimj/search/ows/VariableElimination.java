package org.slimj.search.ows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Exact max-sum and sum-product inference on a discrete model given as a sum of log-potential
 * {@link Factor}s, by variable elimination (e.g. Koller &amp; Friedman, Probabilistic Graphical
 * Models, §9.3 and §13.2). The elimination order is greedy minimum degree, so a chain costs
 * O(L·K²), and the graph of a residual network, where a stage's shared slot touches every block's
 * private slots, eliminates the private slots first and reduces to a chain of stage slots. Tables
 * larger than {@link #MAX_TABLE} entries are refused rather than exhausting memory.
 */
final class VariableElimination {
  /** Largest intermediate table allowed. */
  static final long MAX_TABLE = 1L << 24;

  private VariableElimination() {}

  /**
   * The assignment maximising the sum of {@code factors} over variables with {@code dims[v]}
   * choices; ties go to smaller choice indices in elimination order.
   */
  static int[] maximize(int[] dims, List<Factor> factors) {
    int n = dims.length;
    int[] order = order(dims, factors, -1);
    List<Factor> pool = new ArrayList<>(factors);
    Factor[] combined = new Factor[n];
    for (int v : order) {
      List<Factor> touching = take(pool, v);
      Factor f = combine(dims, touching, v);
      combined[v] = f;
      pool.add(reduce(f, v, true));
    }
    int[] a = new int[n];
    for (int t = n - 1; t >= 0; t--) {
      int v = order[t];
      Factor f = combined[v];
      if (f.indexOf(v) < 0) {
        throw new IllegalStateException("variable " + v + " is missing from its own factor");
      }
      double best = Double.NEGATIVE_INFINITY;
      int arg = 0;
      for (int k = 0; k < dims[v]; k++) {
        a[v] = k;
        double x = f.at(a);
        if (x > best) {
          best = x;
          arg = k;
        }
      }
      a[v] = arg;
    }
    return a;
  }

  /** {@code out[v][k]} = p(x_v = k) for p(x) ∝ exp(sum of {@code factors}). */
  static double[][] marginals(int[] dims, List<Factor> factors) {
    int n = dims.length;
    double[][] out = new double[n][];
    for (int q = 0; q < n; q++) {
      List<Factor> pool = new ArrayList<>(factors);
      for (int v : order(dims, factors, q)) {
        if (v != q) {
          pool.add(reduce(combine(dims, take(pool, v), v), v, false));
        }
      }
      double[] logp = new double[dims[q]];
      for (Factor f : pool) {
        if (f.vars.length == 1) {
          for (int k = 0; k < dims[q]; k++) {
            logp[k] += f.table[k];
          }
        } else if (f.vars.length != 0) {
          throw new IllegalStateException("factor over " + Arrays.toString(f.vars) + " left after elimination");
        }
      }
      double z = ChainMarginals.logSumExp(logp);
      out[q] = new double[dims[q]];
      for (int k = 0; k < dims[q]; k++) {
        out[q][k] = Math.exp(logp[k] - z);
      }
    }
    return out;
  }

  /**
   * Exact samples of p(x) ∝ exp(sum of {@code factors}): sum-product elimination keeps each
   * variable's combined table, and a sample draws the variables in reverse elimination order, each
   * from its conditional given the variables drawn before it (forward filtering, backward sampling).
   */
  static final class JointSampler {
    private final int[] dims;
    private final int[] order;
    private final Factor[] combined;

    private JointSampler(int[] dims, int[] order, Factor[] combined) {
      this.dims = dims;
      this.order = order;
      this.combined = combined;
    }

    /** One sample (a choice index per variable). */
    int[] sample(java.util.random.RandomGenerator rng) {
      int[] a = new int[dims.length];
      for (int t = order.length - 1; t >= 0; t--) {
        int v = order[t];
        double[] logp = new double[dims[v]];
        for (int k = 0; k < logp.length; k++) {
          a[v] = k;
          logp[k] = combined[v].at(a);
        }
        double z = ChainMarginals.logSumExp(logp);
        double u = rng.nextDouble();
        double acc = 0;
        int pick = logp.length - 1;
        for (int k = 0; k < logp.length; k++) {
          acc += Math.exp(logp[k] - z);
          if (u < acc) {
            pick = k;
            break;
          }
        }
        a[v] = pick;
      }
      return a;
    }
  }

  /** A {@link JointSampler} of p(x) ∝ exp(sum of {@code factors}). */
  static JointSampler jointSampler(int[] dims, List<Factor> factors) {
    int[] order = order(dims, factors, -1);
    List<Factor> pool = new ArrayList<>(factors);
    Factor[] combined = new Factor[dims.length];
    for (int v : order) {
      Factor f = combine(dims, take(pool, v), v);
      combined[v] = f;
      pool.add(reduce(f, v, false));
    }
    return new JointSampler(dims.clone(), order, combined);
  }

  /** Greedy minimum-degree order (ties to the smaller index); {@code last}, if >= 0, comes last. */
  static int[] order(int[] dims, List<Factor> factors, int last) {
    int n = dims.length;
    List<TreeSet<Integer>> adj = new ArrayList<>();
    for (int v = 0; v < n; v++) {
      TreeSet<Integer> s = new TreeSet<>();
      s.add(v);
      adj.add(s);
    }
    for (Factor f : factors) {
      for (int a : f.vars) {
        for (int b : f.vars) {
          adj.get(a).add(b);
        }
      }
    }
    boolean[] done = new boolean[n];
    int[] order = new int[n];
    for (int t = 0; t < n; t++) {
      int pick = -1;
      for (int v = 0; v < n; v++) {
        if (!done[v] && v != last && (pick < 0 || adj.get(v).size() < adj.get(pick).size())) {
          pick = v;
        }
      }
      if (pick < 0) {
        pick = last;
      }
      done[pick] = true;
      order[t] = pick;
      TreeSet<Integer> nb = adj.get(pick);
      for (int a : nb) {
        if (a != pick) {
          adj.get(a).remove(pick);
          for (int b : nb) {
            if (b != pick) {
              adj.get(a).add(b);
            }
          }
        }
      }
    }
    return order;
  }

  private static List<Factor> take(List<Factor> pool, int v) {
    List<Factor> out = new ArrayList<>();
    pool.removeIf(f -> {
      if (f.indexOf(v) >= 0) {
        out.add(f);
        return true;
      }
      return false;
    });
    return out;
  }

  /** The sum of {@code fs} (which all contain {@code v}, or none: then a zero factor over v). */
  private static Factor combine(int[] dims, List<Factor> fs, int v) {
    TreeSet<Integer> scope = new TreeSet<>();
    scope.add(v);
    for (Factor f : fs) {
      for (int x : f.vars) {
        scope.add(x);
      }
    }
    int[] vars = scope.stream().mapToInt(Integer::intValue).toArray();
    int[] d = new int[vars.length];
    long size = 1;
    for (int i = 0; i < vars.length; i++) {
      d[i] = dims[vars[i]];
      size *= d[i];
    }
    if (size > MAX_TABLE) {
      throw new IllegalArgumentException("the channel space's interaction graph is too wide for exact elimination: a"
          + " table over " + vars.length + " slots " + Arrays.toString(vars) + " would hold " + size + " entries (limit "
          + MAX_TABLE + "); use fewer channel groups");
    }
    double[] t = new double[(int) size];
    int[] a = new int[dims.length];
    for (int idx = 0; idx < size; idx++) {
      int r = idx;
      for (int i = vars.length - 1; i >= 0; i--) {
        a[vars[i]] = r % d[i];
        r /= d[i];
      }
      double s = 0;
      for (Factor f : fs) {
        s += f.at(a);
      }
      t[idx] = s;
    }
    return new Factor(vars, d, t);
  }

  /** Eliminates {@code v} from {@code f} by maximum ({@code max}) or log-sum-exp. */
  private static Factor reduce(Factor f, int v, boolean max) {
    int pos = f.indexOf(v);
    int m = f.vars.length;
    int[] vars = new int[m - 1];
    int[] d = new int[m - 1];
    for (int i = 0, j = 0; i < m; i++) {
      if (i != pos) {
        vars[j] = f.vars[i];
        d[j++] = f.dims[i];
      }
    }
    int inner = 1;
    for (int i = pos + 1; i < m; i++) {
      inner *= f.dims[i];
    }
    int k = f.dims[pos];
    int outer = f.table.length / (inner * k);
    double[] t = new double[outer * inner];
    double[] buf = new double[k];
    for (int o = 0; o < outer; o++) {
      for (int in = 0; in < inner; in++) {
        for (int j = 0; j < k; j++) {
          buf[j] = f.table[(o * k + j) * inner + in];
        }
        double r;
        if (max) {
          r = Double.NEGATIVE_INFINITY;
          for (double x : buf) {
            r = Math.max(r, x);
          }
        } else {
          r = ChainMarginals.logSumExp(buf);
        }
        t[o * inner + in] = r;
      }
    }
    return new Factor(vars, d, t);
  }
}
