package org.slimj.engine.kernels;

import static org.slimj.engine.kernels.GemmMicroKernel.L;
import static org.slimj.engine.kernels.GemmMicroKernel.NR;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies blocks of the GEMM operands into the layouts {@link GemmMicroKernel} reads.
 *
 * <p>A is read in place, row by row, so only a transposed A is copied: {@link #transpose} writes
 * op(A) row-major. A block of op(B) ({@code kc} steps, columns {@code [0, nc)}) becomes panels of
 * {@link GemmMicroKernel#NR} columns: the panel of columns {@code j0..j0+NR} starts at {@code j0 *
 * kc} and holds, for each step p, NR values of row p. Columns past the edge are packed as zeros, so
 * the micro-kernel always runs on full panels.
 */
final class GemmPacking {
  private static final VectorSpecies<Float> S = VectorKernels.SPECIES;

  private GemmPacking() {}

  /** Floats a packed block of {@code kc} steps and {@code n} columns occupies. */
  static int packedCols(int n, int kc) {
    return roundUp(n, NR) * kc;
  }

  /** {@code x} rounded up to a multiple of {@code q}. */
  static int roundUp(int x, int q) {
    return (x + q - 1) / q * q;
  }

  /**
   * dst[i*ld + p] = op(A)[i, p0 + p] for i < m, p < kc, where the stored A has op(A)'s columns as
   * rows ({@code transA}): op(A)[i, p] is element i of stored row p.
   */
  static void transpose(GemmOperand a, int m, int p0, int kc, float[] dst, int ld) {
    for (int p = 0; p < kc; p++) {
      int src = a.row(p0 + p);
      for (int i = 0; i < m; i++) {
        dst[i * ld + p] = a.data()[src + i];
      }
    }
  }

  /**
   * Packs op(B)[0..kc, 0..nc) into {@code dst} from 0: op(B)[p, j] is element j of stored row p of
   * {@code b}, or element p of stored row j if {@code transB}, with {@code b}'s stored rows and
   * columns counted from {@code dRow} and {@code dCol}.
   */
  static void packB(boolean transB, int kc, int nc, GemmOperand b, int dRow, int dCol, float[] dst) {
    float[] data = b.data();
    int[] rows = b.rows();
    int rowBase = b.rowBase() + dRow;
    int colBase = b.colBase() + dCol;
    for (int j0 = 0; j0 < nc; j0 += NR) {
      int nr = Math.min(NR, nc - j0);
      int d = j0 * kc;
      if (transB) {
        panelOfTransposed(nr, kc, data, rows, rowBase + j0, colBase, dst, d);
      } else if (nr == NR) {
        panelOfVectors(kc, data, rows, rowBase, colBase + j0, dst, d);
      } else {
        edgePanelOfVectors(nr, kc, data, rows, rowBase, colBase + j0, dst, d);
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

  private static void edgePanelOfVectors(
      int nr, int kc, float[] b, int[] rows, int rowBase, int col, float[] dst, int d) {
    for (int p = 0; p < kc; p++, d += NR) {
      int s = rows[rowBase + p] + col;
      for (int j = 0; j < NR; j++) {
        dst[d + j] = j < nr ? b[s + j] : 0f;
      }
    }
  }

  /** Columns of op(B) that are contiguous stored rows (transB). */
  private static void panelOfTransposed(
      int nr, int kc, float[] b, int[] rows, int rowBase, int col, float[] dst, int d) {
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
}
