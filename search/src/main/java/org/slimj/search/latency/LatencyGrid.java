package org.slimj.search.latency;

import java.util.Arrays;

/**
 * Measured times of one layer signature on a grid of (cin, cout) points, with bilinear
 * interpolation between the measured points. An axis of a single point (a fixed channel count, e.g.
 * the image channels of the stem, the classes of the classifier, or the output axis of a depthwise
 * layer whose cout is its cin) is constant along that axis. Outside the grid the nearest segment is
 * extended linearly (times of convolutions grow about linearly in each channel count), and the
 * result is never below zero. On grid points the value is exactly the measured one; inside a cell
 * it lies between the cell's smallest and largest corner.
 */
public final class LatencyGrid {
  private final int[] cins;
  private final int[] couts;
  private final double[][] ms;

  /**
   * A grid of {@code ms[i][j]} milliseconds at ({@code cins[i]}, {@code couts[j]}); both axes strictly
   * increasing and positive, every time finite and non-negative (all arrays are copied).
   */
  public LatencyGrid(int[] cins, int[] couts, double[][] ms) {
    checkAxis(cins, "cin");
    checkAxis(couts, "cout");
    if (ms.length != cins.length) {
      throw new IllegalArgumentException("ms: expected " + cins.length + " rows (one per cin), found " + ms.length);
    }
    this.ms = new double[ms.length][];
    for (int i = 0; i < ms.length; i++) {
      if (ms[i].length != couts.length) {
        throw new IllegalArgumentException(
            "ms[" + i + "]: expected " + couts.length + " values (one per cout), found " + ms[i].length);
      }
      for (int j = 0; j < couts.length; j++) {
        double v = ms[i][j];
        if (!Double.isFinite(v) || v < 0) {
          throw new IllegalArgumentException("ms[" + i + "][" + j + "]: expected a finite time >= 0, found " + v);
        }
      }
      this.ms[i] = ms[i].clone();
    }
    this.cins = cins.clone();
    this.couts = couts.clone();
  }

  private static void checkAxis(int[] axis, String name) {
    if (axis.length == 0) {
      throw new IllegalArgumentException(name + ": expected at least one grid point, found none");
    }
    for (int i = 0; i < axis.length; i++) {
      if (axis[i] < 1 || (i > 0 && axis[i] <= axis[i - 1])) {
        throw new IllegalArgumentException(
            name + ": expected strictly increasing positive channel counts, found " + Arrays.toString(axis));
      }
    }
  }

  /** The input-channel grid points. */
  public int[] cins() {
    return cins.clone();
  }

  /** The output-channel grid points. */
  public int[] couts() {
    return couts.clone();
  }

  /** The measured time at grid point ({@code i}, {@code j}). */
  public double measured(int i, int j) {
    return ms[i][j];
  }

  /** The interpolated time at ({@code cin}, {@code cout}) in milliseconds. */
  public double at(int cin, int cout) {
    int i = segment(cins, cin);
    int j = segment(couts, cout);
    double ti = weight(cins, i, cin);
    double tj = weight(couts, j, cout);
    int i1 = Math.min(i + 1, cins.length - 1);
    int j1 = Math.min(j + 1, couts.length - 1);
    double a = ms[i][j] + tj * (ms[i][j1] - ms[i][j]);
    double b = ms[i1][j] + tj * (ms[i1][j1] - ms[i1][j]);
    return Math.max(0, a + ti * (b - a));
  }

  /** Index of the lower point of the segment used for {@code x} (the first or last segment outside). */
  private static int segment(int[] axis, int x) {
    if (axis.length == 1) {
      return 0;
    }
    int k = Arrays.binarySearch(axis, x);
    if (k >= 0) {
      return Math.min(k, axis.length - 2);
    }
    int ins = -k - 1;
    return Math.max(0, Math.min(ins - 1, axis.length - 2));
  }

  private static double weight(int[] axis, int i, int x) {
    if (axis.length == 1) {
      return 0;
    }
    return (double) (x - axis[i]) / (axis[i + 1] - axis[i]);
  }
}
