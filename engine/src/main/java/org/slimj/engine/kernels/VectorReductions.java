package org.slimj.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sums, dot products and the row-wise kernels (pooling, bias, log-softmax). Long sums add float
 * vector lanes over blocks of {@link #BLOCK} elements and the block sums in double, which keeps
 * float rounding error from growing with the length. Rows (or columns, for {@link #sumRows}) are
 * split over the pool and each is computed the same way in any chunk, so results do not depend on
 * the thread count; {@link #sum} and {@link #dot} run on the calling thread.
 */
final class VectorReductions {
  private static final VectorSpecies<Float> S = VectorKernels.SPECIES;
  private static final int L = S.length();

  /** Elements summed in float lanes before the partial sum is added in double. */
  static final int BLOCK = 1024;

  /** Elements per chunk below which a loop stays on the calling thread. */
  private static final int MIN_WORK = 1 << 15;

  private final Parallel parallel;

  VectorReductions(Parallel parallel) {
    this.parallel = parallel;
  }

  /** Sum of x[off .. off+n). */
  static double sum(int n, float[] x, int off) {
    double total = 0;
    for (int b = 0; b < n; b += BLOCK) {
      total += blockSum(Math.min(BLOCK, n - b), x, off + b);
    }
    return total;
  }

  private static float blockSum(int len, float[] x, int off) {
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = s0;
    int i = 0;
    for (; i + 2 * L <= len; i += 2 * L) {
      s0 = s0.add(FloatVector.fromArray(S, x, off + i));
      s1 = s1.add(FloatVector.fromArray(S, x, off + i + L));
    }
    for (; i + L <= len; i += L) {
      s0 = s0.add(FloatVector.fromArray(S, x, off + i));
    }
    float s = LaneSum.of(s0.add(s1));
    for (; i < len; i++) {
      s += x[off + i];
    }
    return s;
  }

  /** Dot product of a[aOff ..] and b[bOff ..] over n elements. */
  static double dot(int n, float[] a, int aOff, float[] b, int bOff) {
    double total = 0;
    for (int k = 0; k < n; k += BLOCK) {
      total += blockDot(Math.min(BLOCK, n - k), a, aOff + k, b, bOff + k);
    }
    return total;
  }

  private static float blockDot(int len, float[] a, int aOff, float[] b, int bOff) {
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = s0;
    int i = 0;
    for (; i + 2 * L <= len; i += 2 * L) {
      s0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), s0);
      s1 = FloatVector.fromArray(S, a, aOff + i + L).fma(FloatVector.fromArray(S, b, bOff + i + L), s1);
    }
    for (; i + L <= len; i += L) {
      s0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), s0);
    }
    float s = LaneSum.of(s0.add(s1));
    for (; i < len; i++) {
      s += a[aOff + i] * b[bOff + i];
    }
    return s;
  }

  /** {@link Kernels#globalAvgPool}. */
  void globalAvgPool(int rows, int hw, float[] x, int xOff, float[] y, int yOff) {
    parallel.forRange(rows, minRows(hw), (chunk, from, to) -> {
      for (int r = from; r < to; r++) {
        y[yOff + r] = (float) (sum(hw, x, xOff + r * hw) / hw);
      }
    });
  }

  /** {@link Kernels#globalAvgPoolBackward}. */
  void globalAvgPoolBackward(int rows, int hw, float[] dy, int dyOff, float[] dx, int dxOff) {
    parallel.forRange(rows, minRows(hw), (chunk, from, to) -> {
      for (int r = from; r < to; r++) {
        VectorElementwise.addScalar(hw, dy[dyOff + r] / hw, dx, dxOff + r * hw);
      }
    });
  }

  /** {@link Kernels#addRowVector}. */
  void addRowVector(int rows, int cols, float[] v, int vOff, float[] y, int yOff) {
    parallel.forRange(rows, minRows(cols), (chunk, from, to) -> {
      for (int r = from; r < to; r++) {
        VectorElementwise.addInto(cols, v, vOff, y, yOff + r * cols);
      }
    });
  }

  /** {@link Kernels#sumRows}: columns are split over the pool, rows summed in float lanes. */
  void sumRows(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
    int minCols = Math.max(L, MIN_WORK / Math.max(1, rows));
    parallel.forRange(cols, minCols, (chunk, from, to) -> {
      int j = from;
      for (; j + L <= to; j += L) {
        FloatVector acc = FloatVector.zero(S);
        for (int r = 0; r < rows; r++) {
          acc = acc.add(FloatVector.fromArray(S, x, xOff + r * cols + j));
        }
        FloatVector.fromArray(S, out, outOff + j).add(acc).intoArray(out, outOff + j);
      }
      for (; j < to; j++) {
        float acc = 0f;
        for (int r = 0; r < rows; r++) {
          acc += x[xOff + r * cols + j];
        }
        out[outOff + j] += acc;
      }
    });
  }

  /** {@link Kernels#logSoftmaxRows}: vector max and subtraction, exponentials in double. */
  void logSoftmaxRows(int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
    parallel.forRange(rows, minRows(4 * cols), (chunk, from, to) -> {
      for (int r = from; r < to; r++) {
        int xi = xOff + r * cols;
        float max = max(cols, x, xi);
        double s = 0;
        for (int j = 0; j < cols; j++) {
          s += Math.exp(x[xi + j] - max);
        }
        VectorElementwise.addShifted(cols, x, xi, -(float) (max + Math.log(s)), y, yOff + r * cols);
      }
    });
  }

  private static float max(int n, float[] x, int off) {
    FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      m = m.max(FloatVector.fromArray(S, x, off + i));
    }
    float r = m.reduceLanes(VectorOperators.MAX);
    for (; i < n; i++) {
      r = Math.max(r, x[off + i]);
    }
    return r;
  }

  private static int minRows(int perRow) {
    return Math.max(1, MIN_WORK / Math.max(1, perRow));
  }
}
