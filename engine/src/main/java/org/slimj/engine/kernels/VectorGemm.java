package org.slimj.engine.kernels;

import static org.slimj.engine.kernels.GemmMicroKernel.MR;
import static org.slimj.engine.kernels.GemmMicroKernel.NR;

/**
 * Cache-blocked SGEMM on {@link GemmMicroKernel}. Operands are {@link GemmOperand}s (rows given by
 * a table), so convolutions can multiply by virtual im2col matrices. For each block of {@link #KC}
 * steps of k: op(A) is read in place (a transposed A is first copied row-major), op(B) is packed in
 * blocks of {@link #NC} columns into column panels, and the micro-kernel sweeps the tiles of C,
 * {@link #MC} rows at a time, each B panel staying in L1 while rows of A stream from L2.
 *
 * <p>{@link #multiply} splits C into column (or row) blocks over the worker pool; every element of
 * C is computed by one thread in the same order whatever the thread count, so results do not
 * depend on it. {@link #serial} runs on the calling thread, for callers that parallelize at an
 * outer level.
 */
final class VectorGemm {
  /** Steps of k per block. */
  static final int KC = 256;

  /** Rows of C per block whose A rows stay in L2. */
  static final int MC = 20 * MR;

  /** Columns of B packed at once. */
  static final int NC = 128 * NR;

  /** Below this many multiply-adds a product runs on one thread. */
  static final long PARALLEL_MIN_MACS = 1L << 20;

  private final Parallel parallel;
  private final ThreadLocal<Workspace> workspaces;

  VectorGemm(Parallel parallel, ThreadLocal<Workspace> workspaces) {
    this.parallel = parallel;
    this.workspaces = workspaces;
  }

  /** {@link Kernels#sgemm}, split over the pool when large enough. */
  void sgemm(
      boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    assert m >= 0 && n >= 0 && k >= 0 : "negative size";
    assert lda >= (transA ? m : k) && ldb >= (transB ? k : n) && ldc >= n
        : "leading dimension too small: lda=" + lda + " ldb=" + ldb + " ldc=" + ldc
            + " for m=" + m + " n=" + n + " k=" + k;
    Workspace ws = workspaces.get();
    int aRows = transA ? k : m;
    int bRows = transB ? n : k;
    GemmOperand ao = GemmOperand.plain(a, aOff, lda, aRows, ws.ints(Workspace.A_ROWS, aRows));
    GemmOperand bo = GemmOperand.plain(b, bOff, ldb, bRows, ws.ints(Workspace.B_ROWS, bRows));
    multiply(transA, ao, transB, bo, m, n, k, alpha, beta, c, cOff, ldc);
  }

  /**
   * C (m x n, rows ldc apart) = alpha * op(A) * op(B) + beta * C, split over the pool when large
   * enough; beta 0 ignores the old C. The operands' row tables are only read.
   */
  void multiply(
      boolean transA, GemmOperand a, boolean transB, GemmOperand b, int m, int n, int k,
      float alpha, float beta, float[] c, int cOff, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    if (parallel.threads() == 1 || (long) m * n * k < PARALLEL_MIN_MACS) {
      serial(transA, a, transB, b, m, n, k, alpha, beta, c, cOff, ldc, workspaces.get());
      return;
    }
    int nPanels = (n + NR - 1) / NR;
    int mPanels = (m + MR - 1) / MR;
    int t = parallel.threads();
    boolean byColumns = nPanels >= t ? (m <= n || mPanels < t) : nPanels >= mPanels;
    if (byColumns) {
      parallel.forRange(nPanels, 1, (chunk, from, to) -> {
        int j0 = from * NR;
        int nc = Math.min(n, to * NR) - j0;
        GemmOperand bj = transB ? b.shifted(j0, 0) : b.shifted(0, j0);
        serial(transA, a, transB, bj, m, nc, k, alpha, beta, c, cOff + j0, ldc, workspaces.get());
      });
    } else {
      parallel.forRange(mPanels, 1, (chunk, from, to) -> {
        int i0 = from * MR;
        int mc = Math.min(m, to * MR) - i0;
        GemmOperand ai = transA ? a.shifted(0, i0) : a.shifted(i0, 0);
        serial(transA, ai, transB, b, mc, n, k, alpha, beta, c, cOff + i0 * ldc, ldc, workspaces.get());
      });
    }
  }

  /** {@link #multiply} on the calling thread, with its scratch in {@code ws}. */
  static void serial(
      boolean transA, GemmOperand a, boolean transB, GemmOperand b, int m, int n, int k,
      float alpha, float beta, float[] c, int cOff, int ldc, Workspace ws) {
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0) {
      scale(m, n, beta, c, cOff, ldc);
      return;
    }
    for (int p0 = 0; p0 < k; p0 += KC) {
      int kc = Math.min(KC, k - p0);
      // the slab's operands are the given ones shifted by (rows, columns), passed as ints: no
      // per-slab objects
      GemmOperand as = transA ? transposedSlab(a, m, p0, kc, ws) : a;
      int aCol = transA ? 0 : p0;
      slab(as, aCol, m, kc, transB, b, transB ? 0 : p0, transB ? p0 : 0, n, alpha, p0 == 0 ? beta : 1f,
          c, cOff, ldc, ws);
    }
  }

  /** Rows [0, m) of op(A), steps [p0, p0 + kc), copied row-major into {@code ws}. */
  private static GemmOperand transposedSlab(GemmOperand a, int m, int p0, int kc, Workspace ws) {
    float[] dst = ws.floats(Workspace.PACK_A, m * kc);
    GemmPacking.transpose(a, m, p0, kc, dst, kc);
    return ws.packedA(dst, kc, m);
  }

  /** Writes op(A) (m x k, stored transposed) row-major to {@code dst} (rows k apart). */
  static void transposeAll(GemmOperand a, int m, int k, float[] dst) {
    GemmPacking.transpose(a, m, 0, k, dst, k);
  }

  /**
   * One block of kc steps: packs B by NC columns and runs the macro-kernel on each. A's columns
   * start {@code aCol} further, B's rows and columns {@code bRow} and {@code bCol}.
   */
  private static void slab(
      GemmOperand a, int aCol, int m, int kc, boolean transB, GemmOperand b, int bRow, int bCol, int n,
      float alpha, float beta, float[] c, int cOff, int ldc, Workspace ws) {
    float[] bp = ws.floats(Workspace.PACK_B, GemmPacking.packedCols(Math.min(n, NC), kc));
    float[] tile = ws.floats(Workspace.TILE, MR * NR);
    for (int j0 = 0; j0 < n; j0 += NC) {
      int nc = Math.min(NC, n - j0);
      GemmPacking.packB(transB, kc, nc, b, bRow + (transB ? j0 : 0), bCol + (transB ? 0 : j0), bp);
      macro(a, aCol, m, kc, bp, nc, alpha, beta, c, cOff + j0, ldc, tile);
    }
  }

  /** All tiles of an m x nc block of C from rows of A (columns from {@code aCol}) and packed B. */
  private static void macro(
      GemmOperand a, int aCol, int m, int kc, float[] bp, int nc,
      float alpha, float beta, float[] c, int cOff, int ldc, float[] tile) {
    float[] ad = a.data();
    for (int i0 = 0; i0 < m; i0 += MC) {
      int i1 = Math.min(m, i0 + MC);
      for (int j = 0; j < nc; j += NR) {
        int nr = Math.min(NR, nc - j);
        for (int i = i0; i < i1; i += MR) {
          int last = m - 1; // rows past the edge repeat the last row; merge() drops them
          GemmMicroKernel.product(ad, a.row(i) + aCol, a.row(Math.min(i + 1, last)) + aCol,
              a.row(Math.min(i + 2, last)) + aCol, a.row(Math.min(i + 3, last)) + aCol,
              a.row(Math.min(i + 4, last)) + aCol, a.row(Math.min(i + 5, last)) + aCol,
              bp, j * kc, kc, tile);
          GemmMicroKernel.merge(tile, Math.min(MR, m - i), nr, c, cOff + i * ldc + j, ldc, alpha, beta);
        }
      }
    }
  }

  /** C = beta * C (zero when beta is 0, whatever C held). */
  private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      int row = cOff + i * ldc;
      for (int j = 0; j < n; j++) {
        c[row + j] = beta == 0f ? 0f : beta * c[row + j];
      }
    }
  }
}
