package org.slimj.search.ows;

import java.util.Arrays;

/**
 * A table of log-potentials over a few discrete variables, for {@link VariableElimination}: {@code
 * vars} in increasing order, {@code table} in row-major order over them (the last variable varies
 * fastest). A factor with no variables holds one value.
 */
final class Factor {
  final int[] vars;
  final int[] dims;
  final double[] table;

  Factor(int[] vars, int[] dims, double[] table) {
    long size = 1;
    for (int i = 0; i < vars.length; i++) {
      if (i > 0 && vars[i] <= vars[i - 1]) {
        throw new IllegalArgumentException("factor variables must increase, found " + Arrays.toString(vars));
      }
      size *= dims[i];
    }
    if (size != table.length) {
      throw new IllegalArgumentException("factor over " + Arrays.toString(dims) + " needs " + size + " values, found "
          + table.length);
    }
    this.vars = vars;
    this.dims = dims;
    this.table = table;
  }

  /** A factor over one variable. */
  static Factor unary(int var, double[] values) {
    return new Factor(new int[] {var}, new int[] {values.length}, values.clone());
  }

  /** A factor over two distinct variables: {@code values[i][j]} at {@code a = i, b = j}. */
  static Factor pair(int a, int b, double[][] values) {
    int ka = values.length;
    int kb = values[0].length;
    double[] t = new double[ka * kb];
    if (a < b) {
      for (int i = 0; i < ka; i++) {
        System.arraycopy(values[i], 0, t, i * kb, kb);
      }
      return new Factor(new int[] {a, b}, new int[] {ka, kb}, t);
    }
    for (int i = 0; i < ka; i++) {
      for (int j = 0; j < kb; j++) {
        t[j * ka + i] = values[i][j];
      }
    }
    return new Factor(new int[] {b, a}, new int[] {kb, ka}, t);
  }

  /** Position of {@code var} in this factor's scope, or -1. */
  int indexOf(int var) {
    int i = Arrays.binarySearch(vars, var);
    return i >= 0 ? i : -1;
  }

  /** The value at a full assignment {@code values[var]} of all variables (only this scope is read). */
  double at(int[] assignment) {
    int idx = 0;
    for (int i = 0; i < vars.length; i++) {
      idx = idx * dims[i] + assignment[vars[i]];
    }
    return table[idx];
  }
}
