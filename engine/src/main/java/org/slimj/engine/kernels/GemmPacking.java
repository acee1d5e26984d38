package org.slimj.engine.kernels;

import static org.slimj.engine.kernels.GemmMicroKernel.L;
import static org.slimj.engine.kernels.GemmMicroKernel.MR;
import static org.slimj.engine.kernels.GemmMicroKernel.NR;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies blocks of the GEMM operands into the panel layouts {@link GemmMicroKernel} reads.
 *
 * <p>A block of op(A) (rows {@code [0, m)}, {@code kc} steps of k) becomes panels of {@link
 * GemmMicroKernel#MR} rows: the panel of rows {@code i0..i0+MR} starts at {@code i0 * kc} and holds,
 * for each step p, the MR values of column p. A block of op(B) ({@code kc} steps, columns {@code [0,
 * nc)}) becomes panels of {@link GemmMicroKernel#NR} columns: the panel of columns {@code j0..j0+NR}
 * starts at {@code j0 * kc} and holds, for each step p, NR values of row p. Rows or columns past the
 * edge are packed as zeros, so the micro-kernel always runs on full panels.
 */
final class GemmPacking {
  private static final VectorSpecies<Float> S = VectorKernels.SPECIES;

  private GemmPacking() {}

  /** Floats a packed block of {@code m} rows and {@code kc} steps occupies. */
  static int packedRows(int m, int kc) {
    return roundUp(m, MR) * kc;
  }

  /** Floats a packed block of {@code kc} steps and {@code n} columns occupies. */
  static int packedCols(int n, int kc) {
    return roundUp(n, NR) * kc;
  }

  /** {@code x} rounded up to a multiple of {@code q}. */
  static int roundUp(int x, int q) {
    return (x + q - 1) / q * q;
  }

  /**
   * Packs op(A)[0..m, 0..kc) into {@code dst} from {@code dOff}. {@code src} addresses op(A)[0, 0] of
   * the block: row i, step p is {@code a[src + i*lda + p]}, or {@code a[src + p*lda + i]} if {@code
   * transA}.
   */
  static void packA(boolean transA, int m, int kc, float[] a, int src, int lda, float[] dst, int dOff) {
    for (int i0 = 0; i0 < m; i0 += MR) {
      int mr = Math.min(MR, m - i0);
      int d = dOff + i0 * kc;
      if (transA) {
        panelOfColumns(mr, kc, a, src + i0, lda, dst, d);
      } else if (mr == MR) {
        panelOfRows(kc, a, src + i0 * lda, lda, dst, d);
      } else {
        edgePanelOfRows(mr, kc, a, src + i0 * lda, lda, dst, d);
      }
    }
  }

  /** Six full rows, read side by side. */
  private static void panelOfRows(int kc, float[] a, int s, int lda, float[] dst, int d) {
    int s1 = s + lda;
    int s2 = s1 + lda;
    int s3 = s2 + lda;
    int s4 = s3 + lda;
    int s5 = s4 + lda;
    for (int p = 0; p < kc; p++, d += MR) {
      dst[d] = a[s + p];
      dst[d + 1] = a[s1 + p];
      dst[d + 2] = a[s2 + p];
      dst[d + 3] = a[s3 + p];
      dst[d + 4] = a[s4 + p];
      dst[d + 5] = a[s5 + p];
    }
  }

  private static void edgePanelOfRows(int mr, int kc, float[] a, int s, int lda, float[] dst, int d) {
    for (int p = 0; p < kc; p++, d += MR) {
      for (int r = 0; r < MR; r++) {
        dst[d + r] = r < mr ? a[s + r * lda + p] : 0f;
      }
    }
  }

  /** Rows of op(A) that are contiguous columns of the stored A (transA). */
  private static void panelOfColumns(int mr, int kc, float[] a, int s, int lda, float[] dst, int d) {
    for (int p = 0; p < kc; p++, d += MR, s += lda) {
      for (int r = 0; r < MR; r++) {
        dst[d + r] = r < mr ? a[s + r] : 0f;
      }
    }
  }

  /**
   * Packs op(B)[0..kc, 0..nc) into {@code dst} from 0. The stored B is given by the start of each of
   * its rows: stored row r begins at {@code rows[rowBase + r] + colBase}. So op(B)[p, j] is {@code
   * b[rows[rowBase + p] + colBase + j]}, or {@code b[rows[rowBase + j] + colBase + p]} if {@code
   * transB}. A plain matrix has {@code rows[r] = bOff + r*ldb}; a convolution points the rows of a
   * virtual im2col matrix into its input planes.
   */
  static void packB(boolean transB, int kc, int nc, float[] b, int[] rows, int rowBase, int colBase, float[] dst) {
    for (int j0 = 0; j0 < nc; j0 += NR) {
      int nr = Math.min(NR, nc - j0);
      int d = j0 * kc;
      if (transB) {
        panelOfTransposed(nr, kc, b, rows, rowBase + j0, colBase, dst, d);
      } else if (nr == NR) {
        panelOfVectors(kc, b, rows, rowBase, colBase + j0, dst, d);
      } else {
        edgePanelOfVectors(nr, kc, b, rows, rowBase, colBase + j0, dst, d);
      }
    }
  }

  private static void panelOfVectors(int kc, float[] b, int[] rows, int rowBase, int col, float[] dst, int d) {
    for (int p = 0; p < kc; p++, d += NR) {
      int s = rows[rowBase + p] + col;
      FloatVector.fromArray(S, b, s).intoArray(dst, d);
      FloatVector.fromArray(S, b, s + L).intoArray(dst, d + L);
    }
  }

  private static void edgePanelOfVectors(int nr, int kc, float[] b, int[] rows, int rowBase, int col, float[] dst, int d) {
    for (int p = 0; p < kc; p++, d += NR) {
      int s = rows[rowBase + p] + col;
      for (int j = 0; j < NR; j++) {
        dst[d + j] = j < nr ? b[s + j] : 0f;
      }
    }
  }

  /** Columns of op(B) that are contiguous stored rows (transB). */
  private static void panelOfTransposed(int nr, int kc, float[] b, int[] rows, int rowBase, int col, float[] dst, int d) {
    for (int j = 0; j < NR; j++) {
      if (j < nr) {
        int sj = rows[rowBase + j] + col;
        for (int p = 0; p < kc; p++) {
          dst[d + p * NR + j] = b[sj + p];
        }
      } else {
        for (int p = 0; p < kc; p++) {
          dst[d + p * NR + j] = 0f;
        }
      }
    }
  }

  /** Fills {@code rows[0..count)} with the row starts {@code off + r*ld} of a plain matrix. */
  static int[] plainRows(int count, int off, int ld, int[] rows) {
    for (int r = 0; r < count; r++) {
      rows[r] = off + r * ld;
    }
    return rows;
  }
}
