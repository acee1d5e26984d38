package org.slimj.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner kernel of {@link VectorGemm}: one {@link #MR} x {@link #NR} tile of C
 * from six rows of A (read in place, each element broadcast in turn) and a packed B panel ({@code
 * kc} steps of {@code NR} floats), computed into a small tile buffer and then merged into C. Twelve
 * independent accumulators, each updated as {@code acc = a.fma(b, acc)}, the form the JIT keeps in
 * registers. Larger tiles were tried and fell off a cliff: C2 stops inlining the Vector API calls
 * of one method past its inlining budget.
 */
final class GemmMicroKernel {
  private static final VectorSpecies<Float> S = VectorKernels.SPECIES;

  /** Lanes per vector. */
  static final int L = S.length();

  /** Rows of a micro-tile. */
  static final int MR = 6;

  /** Columns of a micro-tile: two vectors. */
  static final int NR = 2 * L;

  private GemmMicroKernel() {}

  /**
   * Writes the raw product of six rows of A and a packed B panel ({@code kc} steps) to {@code t[0
   * .. MR*NR)}, rows NR apart. Row r of A is read in place, {@code kc} consecutive floats from
   * {@code a[rr]} (r0 .. r5), so A needs no packing when its rows are contiguous. Kept free of
   * alpha, beta and edge logic: the JIT only keeps the accumulators in registers while the method
   * stays within its inlining budget.
   */
  static void product(
      float[] a, int r0, int r1, int r2, int r3, int r4, int r5, float[] b, int bi, int kc, float[] t) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c40 = c00;
    FloatVector c41 = c00;
    FloatVector c50 = c00;
    FloatVector c51 = c00;
    for (int p = 0; p < kc; p++) {
      int pb = bi + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, b, pb);
      FloatVector b1 = FloatVector.fromArray(S, b, pb + L);
      FloatVector av = FloatVector.broadcast(S, a[r0 + p]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, a[r1 + p]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, a[r2 + p]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, a[r3 + p]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
      av = FloatVector.broadcast(S, a[r4 + p]);
      c40 = av.fma(b0, c40);
      c41 = av.fma(b1, c41);
      av = FloatVector.broadcast(S, a[r5 + p]);
      c50 = av.fma(b0, c50);
      c51 = av.fma(b1, c51);
    }
    c00.intoArray(t, 0);
    c01.intoArray(t, L);
    c10.intoArray(t, NR);
    c11.intoArray(t, NR + L);
    c20.intoArray(t, 2 * NR);
    c21.intoArray(t, 2 * NR + L);
    c30.intoArray(t, 3 * NR);
    c31.intoArray(t, 3 * NR + L);
    c40.intoArray(t, 4 * NR);
    c41.intoArray(t, 4 * NR + L);
    c50.intoArray(t, 5 * NR);
    c51.intoArray(t, 5 * NR + L);
  }

  /**
   * C[0..mr, 0..nr) (rows {@code ldc} apart from {@code ci}) = alpha * t + beta * C for a tile
   * {@code t} from {@link #product}; the old C is not read when beta is 0.
   */
  static void merge(float[] t, int mr, int nr, float[] c, int ci, int ldc, float alpha, float beta) {
    if (nr == NR) {
      for (int r = 0; r < mr; r++) {
        mergeRow(t, r * NR, c, ci + r * ldc, alpha, beta);
        mergeRow(t, r * NR + L, c, ci + r * ldc + L, alpha, beta);
      }
    } else {
      mergeEdge(t, mr, nr, c, ci, ldc, alpha, beta);
    }
  }

  private static void mergeRow(float[] t, int ti, float[] c, int i, float alpha, float beta) {
    FloatVector v = FloatVector.fromArray(S, t, ti).mul(alpha);
    if (beta != 0f) {
      v = FloatVector.fromArray(S, c, i).fma(FloatVector.broadcast(S, beta), v);
    }
    v.intoArray(c, i);
  }

  private static void mergeEdge(float[] t, int mr, int nr, float[] c, int ci, int ldc, float alpha, float beta) {
    for (int r = 0; r < mr; r++) {
      int row = ci + r * ldc;
      for (int j = 0; j < nr; j++) {
        float v = alpha * t[r * NR + j];
        c[row + j] = beta == 0f ? v : v + beta * c[row + j];
      }
    }
  }
}
