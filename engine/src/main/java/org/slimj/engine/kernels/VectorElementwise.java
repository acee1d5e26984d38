package org.slimj.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise kernels: vector loop to {@code loopBound}, then a scalar tail. Long arrays are cut
 * into contiguous chunks over the pool; each element is computed the same way in any chunk, so
 * results do not depend on the thread count. Outputs may be the same array and offset as an
 * input.
 */
final class VectorElementwise {
  private static final VectorSpecies<Float> S = VectorKernels.SPECIES;

  /** Elements per chunk below which a loop runs on the calling thread. */
  static final int CHUNK = 1 << 15;

  private final Parallel parallel;

  VectorElementwise(Parallel parallel) {
    this.parallel = parallel;
  }

  /** y = max(x, 0). */
  void relu(int n, float[] x, int xOff, float[] y, int yOff) {
    parallel.forRange(n, CHUNK, (c, from, to) ->
        clamp(to - from, x, xOff + from, y, yOff + from, 0f, Float.POSITIVE_INFINITY));
  }

  /** y = min(max(x, 0), 6). */
  void relu6(int n, float[] x, int xOff, float[] y, int yOff) {
    parallel.forRange(n, CHUNK, (c, from, to) -> clamp(to - from, x, xOff + from, y, yOff + from, 0f, 6f));
  }

  /** dx += dy where 0 < x < hi ({@code hi} infinite: no upper bound, so x = +inf passes). */
  void passBetween(int n, float hi, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    parallel.forRange(n, CHUNK, (c, from, to) ->
        addWhereBetween(to - from, hi, x, xOff + from, dy, dyOff + from, dx, dxOff + from));
  }

  /** y = a + b. */
  void add(int n, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff) {
    parallel.forRange(n, CHUNK, (c, from, to) -> {
      int len = to - from;
      int ai = aOff + from;
      int bi = bOff + from;
      int yi = yOff + from;
      int i = 0;
      for (int bound = S.loopBound(len); i < bound; i += S.length()) {
        FloatVector.fromArray(S, a, ai + i).add(FloatVector.fromArray(S, b, bi + i)).intoArray(y, yi + i);
      }
      for (; i < len; i++) {
        y[yi + i] = a[ai + i] + b[bi + i];
      }
    });
  }

  /** y = a * b. */
  void multiply(int n, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff) {
    parallel.forRange(n, CHUNK, (c, from, to) -> {
      int len = to - from;
      int ai = aOff + from;
      int bi = bOff + from;
      int yi = yOff + from;
      int i = 0;
      for (int bound = S.loopBound(len); i < bound; i += S.length()) {
        FloatVector.fromArray(S, a, ai + i).mul(FloatVector.fromArray(S, b, bi + i)).intoArray(y, yi + i);
      }
      for (; i < len; i++) {
        y[yi + i] = a[ai + i] * b[bi + i];
      }
    });
  }

  /** y += a * b. */
  void multiplyAdd(int n, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff) {
    parallel.forRange(n, CHUNK, (c, from, to) -> {
      int len = to - from;
      int ai = aOff + from;
      int bi = bOff + from;
      int yi = yOff + from;
      int i = 0;
      for (int bound = S.loopBound(len); i < bound; i += S.length()) {
        FloatVector av = FloatVector.fromArray(S, a, ai + i);
        av.fma(FloatVector.fromArray(S, b, bi + i), FloatVector.fromArray(S, y, yi + i)).intoArray(y, yi + i);
      }
      for (; i < len; i++) {
        y[yi + i] += a[ai + i] * b[bi + i];
      }
    });
  }

  /** y += alpha * x. */
  void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    parallel.forRange(n, CHUNK, (c, from, to) -> axpyRange(to - from, alpha, x, xOff + from, y, yOff + from));
  }

  /** y[0..n) += alpha * x[0..n), on the calling thread. */
  static void axpyRange(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    FloatVector av = FloatVector.broadcast(S, alpha);
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += S.length()) {
      FloatVector.fromArray(S, x, xOff + i).fma(av, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] += alpha * x[xOff + i];
    }
  }

  /**
   * dst[0..n) = src[0..n) for short runs (rows of small planes), where a call to {@code
   * System.arraycopy} costs more than the copy; long runs go to arraycopy.
   */
  static void copy(int n, float[] src, int srcOff, float[] dst, int dstOff) {
    if (n >= 4 * S.length()) {
      System.arraycopy(src, srcOff, dst, dstOff, n);
      return;
    }
    int i = 0;
    for (; i + S.length() <= n; i += S.length()) {
      FloatVector.fromArray(S, src, srcOff + i).intoArray(dst, dstOff + i);
    }
    if (i < n) {
      VectorMask<Float> m = S.indexInRange(i, n);
      FloatVector.fromArray(S, src, srcOff + i, m).intoArray(dst, dstOff + i, m);
    }
  }

  /** y[0..n) += x[0..n), on the calling thread. */
  static void addInto(int n, float[] x, int xOff, float[] y, int yOff) {
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += S.length()) {
      FloatVector.fromArray(S, y, yOff + i).add(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] += x[xOff + i];
    }
  }

  /** y[0..n) = x[0..n) + v, on the calling thread (y may be x). */
  static void addShifted(int n, float[] x, int xOff, float v, float[] y, int yOff) {
    FloatVector vv = FloatVector.broadcast(S, v);
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += S.length()) {
      FloatVector.fromArray(S, x, xOff + i).add(vv).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = x[xOff + i] + v;
    }
  }

  /** y[0..n) += v, on the calling thread. */
  static void addScalar(int n, float v, float[] y, int yOff) {
    FloatVector vv = FloatVector.broadcast(S, v);
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += S.length()) {
      FloatVector.fromArray(S, y, yOff + i).add(vv).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] += v;
    }
  }

  /** y = min(max(x, lo), hi) over n elements, on the calling thread. */
  private static void clamp(int n, float[] x, int xOff, float[] y, int yOff, float lo, float hi) {
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += S.length()) {
      FloatVector.fromArray(S, x, xOff + i).max(lo).min(hi).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = Math.min(Math.max(x[xOff + i], lo), hi);
    }
  }

  /**
   * dx += dy where 0 < x < hi (no upper bound if {@code hi} is +inf). The two cases are separate
   * loops with their comparison vectors made once: a mask chosen per iteration made C2 give up the
   * comparison intrinsics in some compilations, and every comparison then allocated.
   */
  private static void addWhereBetween(
      int n, float hi, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    boolean bounded = hi != Float.POSITIVE_INFINITY;
    int i = bounded
        ? addWhereBetweenVectors(n, hi, x, xOff, dy, dyOff, dx, dxOff)
        : addWherePositiveVectors(n, x, xOff, dy, dyOff, dx, dxOff);
    for (; i < n; i++) {
      float v = x[xOff + i];
      if (v > 0f && (v < hi || !bounded)) {
        dx[dxOff + i] += dy[dyOff + i];
      }
    }
  }

  /** The whole vectors of {@link #addWhereBetween} without an upper bound; returns where they end. */
  private static int addWherePositiveVectors(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    FloatVector zero = FloatVector.zero(S);
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += S.length()) {
      VectorMask<Float> pass = FloatVector.fromArray(S, x, xOff + i).compare(VectorOperators.GT, zero);
      FloatVector.fromArray(S, dx, dxOff + i).add(FloatVector.fromArray(S, dy, dyOff + i), pass).intoArray(dx, dxOff + i);
    }
    return i;
  }

  /** The whole vectors of {@link #addWhereBetween} with the upper bound {@code hi}; returns where they end. */
  private static int addWhereBetweenVectors(
      int n, float hi, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    FloatVector zero = FloatVector.zero(S);
    FloatVector top = FloatVector.broadcast(S, hi);
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += S.length()) {
      FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
      VectorMask<Float> pass = xv.compare(VectorOperators.GT, zero).and(xv.compare(VectorOperators.LT, top));
      FloatVector.fromArray(S, dx, dxOff + i).add(FloatVector.fromArray(S, dy, dyOff + i), pass).intoArray(dx, dxOff + i);
    }
    return i;
  }
}
