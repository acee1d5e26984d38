package org.slimj.search.ows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Exact maximisation of a sum of scores subject to a sum of integer costs at most a capacity, by
 * variable elimination where every message is indexed by (assignment of its slots, cost bucket): the
 * budgeted knapsack dynamic programme carried over a graph of small treewidth (e.g. Koller &amp;
 * Friedman, Probabilistic Graphical Models, §13.2, with the max-sum semiring replaced by max-plus
 * convolution over costs). Each message row holds, for every total cost {@code 0..capacity}, the best
 * score of the eliminated part at exactly that cost, or -infinity when a cheaper cost scores as well
 * (only the cost-score Pareto front is kept, which leaves the optimum unchanged and the rows sparse,
 * so convolutions cost the product of the fronts' sizes). The elimination order is {@link
 * VariableElimination}'s greedy minimum degree (a residual block's private slots first). The memory
 * the messages need is computed before anything is allocated and refused above {@link #MAX_ENTRIES}.
 */
final class BucketedElimination {
  /** Largest total number of message entries (doubles) allowed: 2^24, 128 MiB. */
  static final long MAX_ENTRIES = 1L << 24;

  /** Score 0 at bucket 0: the neutral element of {@link #convolve}. */
  private static final Row ZERO = new Row(0, new double[] {0.0});

  private BucketedElimination() {}

  /**
   * A term over a few variables ({@code vars} increasing, row-major over {@code dims}, the last
   * variable fastest): at each assignment, a score for each reachable cost bucket.
   */
  static final class Table {
    final int[] vars;
    final int[] dims;
    final Row[] rows;

    Table(int[] vars, int[] dims, Row[] rows) {
      this.vars = vars;
      this.dims = dims;
      this.rows = rows;
    }

    /** A term whose every assignment has one score at one bucket ({@code bucket < 0}: the assignment is excluded). */
    static Table single(int[] vars, int[] dims, double[] score, int[] bucket) {
      Row[] rows = new Row[score.length];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = bucket[i] < 0 ? null : new Row(bucket[i], new double[] {score[i]});
      }
      return new Table(vars, dims, rows);
    }

    Row at(int[] assignment) {
      int idx = 0;
      for (int i = 0; i < vars.length; i++) {
        idx = idx * dims[i] + assignment[vars[i]];
      }
      return rows[idx];
    }
  }

  /** Scores at buckets {@code start .. start + v.length - 1}; unreachable buckets hold -infinity. */
  record Row(int start, double[] v) {
    double at(int bucket) {
      int i = bucket - start;
      return i < 0 || i >= v.length ? Double.NEGATIVE_INFINITY : v[i];
    }

    int end() {
      return start + v.length - 1;
    }
  }

  /**
   * The best assignment and its bucket.
   *
   * @param choices choice per variable
   * @param score its total score
   * @param bucket its total cost in buckets
   */
  record Solution(int[] choices, double score, int bucket) {}

  /**
   * Message entries the elimination of {@code terms} would store at {@code capacity}; throws if more
   * than {@link #MAX_ENTRIES}.
   */
  static long checkMemory(int[] dims, List<Table> terms, int capacity) {
    return entries(dims, terms, capacity, true);
  }

  /** Message entries the elimination of {@code terms} would store at {@code capacity}, at most {@code MAX_ENTRIES + 1}. */
  static long entries(int[] dims, List<Table> terms, int capacity) {
    return entries(dims, terms, capacity, false);
  }

  private static long entries(int[] dims, List<Table> terms, int capacity, boolean check) {
    int[] order = order(dims, terms);
    List<TreeSet<Integer>> scopes = new ArrayList<>();
    for (Table t : terms) {
      TreeSet<Integer> s = new TreeSet<>();
      for (int v : t.vars) {
        s.add(v);
      }
      scopes.add(s);
    }
    long entries = 0;
    long largest = 0;
    TreeSet<Integer> largestScope = new TreeSet<>();
    for (int v : order) {
      TreeSet<Integer> scope = new TreeSet<>();
      scopes.removeIf(s -> {
        if (s.contains(v)) {
          scope.addAll(s);
          return true;
        }
        return false;
      });
      scope.remove(v);
      long size = capacity + 1L;
      for (int x : scope) {
        size = Math.min(size * dims[x], MAX_ENTRIES + 1);
      }
      entries = Math.min(entries + size, MAX_ENTRIES + 1);
      if (size > largest) {
        largest = size;
        largestScope = scope;
      }
      scopes.add(scope);
    }
    if (check && entries > MAX_ENTRIES) {
      throw new IllegalArgumentException("the budgeted search would hold more than " + MAX_ENTRIES + " message entries"
          + " (choices of each message's slots × " + (capacity + 1) + " cost buckets, summed over the elimination; the"
          + " largest message, over slots " + largestScope + ", holds " + (largest > MAX_ENTRIES ? "over " : "")
          + Math.min(largest, MAX_ENTRIES) + "); use fewer cost buckets or fewer channel groups");
    }
    return entries;
  }

  /**
   * The assignment of highest total score among those whose total bucket is at most {@code
   * capacity}, or null if there is none; ties go to the lower total bucket.
   */
  static Solution maximize(int[] dims, List<Table> terms, int capacity) {
    checkMemory(dims, terms, capacity);
    int n = dims.length;
    int[] order = order(dims, terms);
    List<Table> pool = new ArrayList<>(terms);
    List<List<Table>> used = new ArrayList<>();
    List<Table> messages = new ArrayList<>();
    for (int v : order) {
      List<Table> touching = take(pool, v);
      Table msg = eliminate(dims, touching, v, capacity);
      used.add(touching);
      messages.add(msg);
      pool.add(msg);
    }
    for (Table t : pool) {
      if (t.vars.length != 0) {
        throw new IllegalStateException("a term over " + Arrays.toString(t.vars) + " is left after elimination");
      }
    }
    int[] a = new int[n];
    Row total = combined(pool, a, capacity);
    if (total == null) {
      return null;
    }
    int best = -1;
    for (int b = total.start(); b <= total.end(); b++) {
      if (total.at(b) > Double.NEGATIVE_INFINITY && (best < 0 || total.at(b) > total.at(best))) {
        best = b;
      }
    }
    if (best < 0) {
      return null;
    }
    Map<Table, Integer> bucketOf = new IdentityHashMap<>();
    split(pool, a, best, capacity, bucketOf);
    for (int t = n - 1; t >= 0; t--) {
      int v = order[t];
      Table msg = messages.get(t);
      int b = bucketOf.get(msg);
      double target = msg.at(a).at(b);
      List<Table> touching = used.get(t);
      boolean found = false;
      for (int k = 0; k < dims[v] && !found; k++) {
        a[v] = k;
        Row r = combined(touching, a, capacity);
        if (r != null && r.at(b) == target) {
          split(touching, a, b, capacity, bucketOf);
          found = true;
        }
      }
      if (!found) {
        throw new IllegalStateException("slot " + v + ": no choice reproduces its message at bucket " + b);
      }
    }
    return new Solution(a, total.at(best), best);
  }

  /** The message of eliminating {@code v} from {@code touching}: the best over v at each other assignment and bucket. */
  private static Table eliminate(int[] dims, List<Table> touching, int v, int capacity) {
    TreeSet<Integer> scope = new TreeSet<>();
    for (Table f : touching) {
      for (int x : f.vars) {
        scope.add(x);
      }
    }
    scope.remove(v);
    int[] vars = scope.stream().mapToInt(Integer::intValue).toArray();
    int[] d = new int[vars.length];
    int size = 1;
    for (int i = 0; i < vars.length; i++) {
      d[i] = dims[vars[i]];
      size *= d[i];
    }
    int own = ownCount(touching, v);
    int[] a = new int[dims.length];
    Row[] pre = new Row[dims[v]];
    for (int k = 0; k < dims[v]; k++) {
      a[v] = k;
      pre[k] = prefix(touching, own, a, capacity);
    }
    Row[] rows = new Row[size];
    for (int idx = 0; idx < size; idx++) {
      int r = idx;
      for (int i = vars.length - 1; i >= 0; i--) {
        a[vars[i]] = r % d[i];
        r /= d[i];
      }
      Row best = null;
      for (int k = 0; k < dims[v]; k++) {
        a[v] = k;
        Row row = pre[k];
        for (int i = own; i < touching.size() && row != null; i++) {
          row = convolve(row, touching.get(i).at(a), capacity);
        }
        best = max(best, row);
      }
      rows[idx] = best;
    }
    return new Table(vars, d, rows);
  }

  /** Number of leading terms of {@code touching} over {@code v} alone (take puts them first). */
  private static int ownCount(List<Table> touching, int v) {
    int own = 0;
    while (own < touching.size() && touching.get(own).vars.length == 1 && touching.get(own).vars[0] == v) {
      own++;
    }
    return own;
  }

  /** The convolution of the first {@code count} of {@code fs} at {@code a}, starting from {@link #ZERO}. */
  private static Row prefix(List<Table> fs, int count, int[] a, int capacity) {
    Row row = ZERO;
    for (int i = 0; i < count && row != null; i++) {
      row = convolve(row, fs.get(i).at(a), capacity);
    }
    return row;
  }

  /** The convolution of all of {@code fs} at {@code a}, in the order {@link #eliminate} used. */
  private static Row combined(List<Table> fs, int[] a, int capacity) {
    return prefix(fs, fs.size(), a, capacity);
  }

  /**
   * Recovers how {@code bucket} of the convolution of {@code fs} at {@code a} splits among the terms,
   * recomputing the same sums so that equality is exact, and records each term's share.
   */
  private static void split(List<Table> fs, int[] a, int bucket, int capacity, Map<Table, Integer> bucketOf) {
    Row[] prefixes = new Row[fs.size() + 1];
    prefixes[0] = ZERO;
    for (int i = 0; i < fs.size(); i++) {
      prefixes[i + 1] = convolve(prefixes[i], fs.get(i).at(a), capacity);
    }
    int b = bucket;
    for (int i = fs.size() - 1; i >= 0; i--) {
      Row r = fs.get(i).at(a);
      double target = prefixes[i + 1].at(b);
      int pick = -1;
      for (int j = r.start(); j <= Math.min(r.end(), b) && pick < 0; j++) {
        if (prefixes[i].at(b - j) + r.at(j) == target) {
          pick = j;
        }
      }
      if (pick < 0) {
        throw new IllegalStateException("no split of bucket " + b + " reproduces the convolution");
      }
      bucketOf.put(fs.get(i), pick);
      b -= pick;
    }
  }

  /** Max-plus convolution truncated at {@code capacity}; null when nothing is reachable. */
  static Row convolve(Row x, Row y, int capacity) {
    if (x == null || y == null) {
      return null;
    }
    int start = x.start() + y.start();
    if (start > capacity) {
      return null;
    }
    int end = (int) Math.min((long) x.end() + y.end(), capacity);
    double[] out = new double[end - start + 1];
    Arrays.fill(out, Double.NEGATIVE_INFINITY);
    double[] xv = x.v();
    double[] yv = y.v();
    int[] yAt = new int[yv.length];
    int ny = 0;
    for (int j = 0; j < yv.length; j++) {
      if (yv[j] != Double.NEGATIVE_INFINITY) {
        yAt[ny++] = j;
      }
    }
    for (int i = 0; i < xv.length && i < out.length; i++) {
      double xi = xv[i];
      if (xi == Double.NEGATIVE_INFINITY) {
        continue;
      }
      for (int t = 0; t < ny && i + yAt[t] < out.length; t++) {
        int j = yAt[t];
        double s = xi + yv[j];
        if (s > out[i + j]) {
          out[i + j] = s;
        }
      }
    }
    return trim(start, dropDominated(out));
  }

  /**
   * Sets to -infinity every entry whose score some lower bucket matches or beats: any completion of
   * it does at least as well with that cheaper entry, so the optimum is unchanged and the rows stay
   * sparse (only the cost-score Pareto front survives).
   */
  private static double[] dropDominated(double[] v) {
    double best = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < v.length; i++) {
      if (v[i] <= best) {
        v[i] = Double.NEGATIVE_INFINITY;
      } else {
        best = v[i];
      }
    }
    return v;
  }

  /** Elementwise maximum over the union of the two ranges. */
  private static Row max(Row x, Row y) {
    if (x == null) {
      return y;
    }
    if (y == null) {
      return x;
    }
    int start = Math.min(x.start(), y.start());
    int end = Math.max(x.end(), y.end());
    double[] out = new double[end - start + 1];
    for (int b = start; b <= end; b++) {
      out[b - start] = Math.max(x.at(b), y.at(b));
    }
    return new Row(start, dropDominated(out));
  }

  private static Row trim(int start, double[] v) {
    int lo = 0;
    while (lo < v.length && v[lo] == Double.NEGATIVE_INFINITY) {
      lo++;
    }
    if (lo == v.length) {
      return null;
    }
    int hi = v.length - 1;
    while (v[hi] == Double.NEGATIVE_INFINITY) {
      hi--;
    }
    return lo == 0 && hi == v.length - 1 ? new Row(start, v) : new Row(start + lo, Arrays.copyOfRange(v, lo, hi + 1));
  }

  private static int[] order(int[] dims, List<Table> terms) {
    List<Factor> scopes = new ArrayList<>();
    for (Table t : terms) {
      scopes.add(new Factor(t.vars, t.dims, new double[t.rows.length]));
    }
    return VariableElimination.order(dims, scopes, -1);
  }

  /** Removes and returns the terms containing {@code v}, those over {@code v} alone first. */
  private static List<Table> take(List<Table> pool, int v) {
    List<Table> own = new ArrayList<>();
    List<Table> rest = new ArrayList<>();
    pool.removeIf(f -> {
      if (Arrays.binarySearch(f.vars, v) >= 0) {
        (f.vars.length == 1 ? own : rest).add(f);
        return true;
      }
      return false;
    });
    own.addAll(rest);
    return own;
  }
}
