package org.slimj.engine.kernels;

import static org.slimj.engine.kernels.GemmMicroKernel.MR;
import static org.slimj.engine.kernels.GemmMicroKernel.NR;

/**
 * Packed, cache-blocked SGEMM on {@link GemmMicroKernel}. For each block of {@link #KC} steps of k,
 * op(A) is packed once into row panels, op(B) in blocks of {@link #NC} columns into column panels,
 * and the micro-kernel sweeps the tiles of C, {@link #MC} rows at a time, each B panel staying in L1
 * while A panels stream from L2.
 *
 * <p>B is addressed through a table of row starts (see {@link GemmPacking#packB}), so convolutions
 * can multiply by a virtual im2col matrix whose rows point into the input planes. The plain entry
 * points build the table of an ordinary matrix in the calling thread's {@link Workspace#B_ROWS}.
 *
 * <p>{@link #sgemm} splits C into column (or row) blocks over the worker pool; every element of C
 * is computed by one thread in the same order whatever the thread count, so results do not depend
 * on it. The static methods run on the calling thread, for callers that already parallelize at an
 * outer level; {@link #packAll} lets them pack a shared A (conv weights) once for many products.
 */
final class VectorGemm {
  /** Steps of k per packed block. */
  static final int KC = 256;

  /** Rows of C per block whose A panels stay in L2. */
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
        : "leading dimension too small: lda=" + lda + " ldb=" + ldb + " ldc=" + ldc + " for m=" + m + " n=" + n + " k=" + k;
    int stored = transB ? n : k;
    int[] rows = GemmPacking.plainRows(stored, bOff, ldb, workspaces.get().ints(Workspace.B_ROWS, stored));
    sgemmRows(transA, transB, m, n, k, alpha, a, aOff, lda, b, rows, 0, 0, beta, c, cOff, ldc);
  }

  /**
   * {@link #sgemm} with B given by row starts (stored row r at {@code rows[rowBase + r] + colBase}),
   * split over the pool when large enough. The table is only read.
   */
  void sgemmRows(
      boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
      float[] b, int[] rows, int rowBase, int colBase, float beta, float[] c, int cOff, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    if (parallel.threads() == 1 || (long) m * n * k < PARALLEL_MIN_MACS) {
      serialRows(transA, transB, m, n, k, alpha, a, aOff, lda, b, rows, rowBase, colBase, beta, c, cOff, ldc,
          workspaces.get());
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
        serialRows(transA, transB, m, nc, k, alpha, a, aOff, lda, b, rows, transB ? rowBase + j0 : rowBase,
            transB ? colBase : colBase + j0, beta, c, cOff + j0, ldc, workspaces.get());
      });
    } else {
      parallel.forRange(mPanels, 1, (chunk, from, to) -> {
        int i0 = from * MR;
        int mc = Math.min(m, to * MR) - i0;
        int ao = transA ? aOff + i0 : aOff + i0 * lda;
        serialRows(transA, transB, mc, n, k, alpha, a, ao, lda, b, rows, rowBase, colBase, beta,
            c, cOff + i0 * ldc, ldc, workspaces.get());
      });
    }
  }

  /** {@link Kernels#sgemm} on the calling thread, with its scratch in {@code ws}. */
  static void serial(
      boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc, Workspace ws) {
    int stored = transB ? n : k;
    int[] rows = GemmPacking.plainRows(stored, bOff, ldb, ws.ints(Workspace.B_ROWS, stored));
    serialRows(transA, transB, m, n, k, alpha, a, aOff, lda, b, rows, 0, 0, beta, c, cOff, ldc, ws);
  }

  /** {@link #serial} with B given by row starts, as in {@link #sgemmRows}. */
  static void serialRows(
      boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
      float[] b, int[] rows, int rowBase, int colBase, float beta, float[] c, int cOff, int ldc, Workspace ws) {
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0) {
      scale(m, n, beta, c, cOff, ldc);
      return;
    }
    float[] ap = ws.floats(Workspace.PACK_A, GemmPacking.packedRows(m, Math.min(k, KC)));
    for (int p0 = 0; p0 < k; p0 += KC) {
      int kc = Math.min(KC, k - p0);
      GemmPacking.packA(transA, m, kc, a, transA ? aOff + p0 * lda : aOff + p0, lda, ap, 0);
      slab(ap, 0, m, kc, transB, n, alpha, b, rows, transB ? rowBase : rowBase + p0, transB ? colBase + p0 : colBase,
          p0 == 0 ? beta : 1f, c, cOff, ldc, ws);
    }
  }

  /** Floats {@link #packAll} writes for an m x k op(A). */
  static int packedSize(int m, int k) {
    return GemmPacking.packedRows(m, k);
  }

  /** Packs all of op(A) (m x k, k >= 1) into {@code dst} for {@link #multiplyPacked}. */
  static void packAll(boolean transA, int m, int k, float[] a, int aOff, int lda, float[] dst) {
    int mPad = GemmPacking.roundUp(m, MR);
    for (int p0 = 0; p0 < k; p0 += KC) {
      int kc = Math.min(KC, k - p0);
      GemmPacking.packA(transA, m, kc, a, transA ? aOff + p0 * lda : aOff + p0, lda, dst, p0 * mPad);
    }
  }

  /**
   * C = alpha * A * B + beta * C on the calling thread, for a plain k x n matrix B and A (m x k, k >=
   * 1) packed by {@link #packAll}; {@code ws} supplies the B panels ({@code ap} may be its {@link
   * Workspace#PACK_A} array).
   */
  static void multiplyPacked(
      float[] ap, int m, int k, int n, float alpha, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc, Workspace ws) {
    int[] rows = GemmPacking.plainRows(k, bOff, ldb, ws.ints(Workspace.B_ROWS, k));
    multiplyPackedRows(ap, m, k, n, alpha, b, rows, 0, beta, c, cOff, ldc, ws);
  }

  /** {@link #multiplyPacked} with B's row p at {@code rows[p] + colBase}. */
  static void multiplyPackedRows(
      float[] ap, int m, int k, int n, float alpha, float[] b, int[] rows, int colBase,
      float beta, float[] c, int cOff, int ldc, Workspace ws) {
    int mPad = GemmPacking.roundUp(m, MR);
    for (int p0 = 0; p0 < k; p0 += KC) {
      int kc = Math.min(KC, k - p0);
      slab(ap, p0 * mPad, m, kc, false, n, alpha, b, rows, p0, colBase, p0 == 0 ? beta : 1f, c, cOff, ldc, ws);
    }
  }

  /** One block of kc steps: packs B by NC columns and runs the macro-kernel on each. */
  private static void slab(
      float[] ap, int apOff, int m, int kc, boolean transB, int n, float alpha,
      float[] b, int[] rows, int rowBase, int colBase, float beta, float[] c, int cOff, int ldc, Workspace ws) {
    float[] bp = ws.floats(Workspace.PACK_B, GemmPacking.packedCols(Math.min(n, NC), kc));
    float[] tile = ws.floats(Workspace.TILE, MR * NR);
    for (int j0 = 0; j0 < n; j0 += NC) {
      int nc = Math.min(NC, n - j0);
      GemmPacking.packB(transB, kc, nc, b, rows, transB ? rowBase + j0 : rowBase, transB ? colBase : colBase + j0, bp);
      macro(ap, apOff, m, kc, bp, nc, alpha, beta, c, cOff + j0, ldc, tile);
    }
  }

  /** All tiles of an m x nc block of C from packed A (at apOff) and packed B. */
  private static void macro(
      float[] ap, int apOff, int m, int kc, float[] bp, int nc,
      float alpha, float beta, float[] c, int cOff, int ldc, float[] tile) {
    for (int i0 = 0; i0 < m; i0 += MC) {
      int i1 = Math.min(m, i0 + MC);
      for (int j = 0; j < nc; j += NR) {
        int nr = Math.min(NR, nc - j);
        for (int i = i0; i < i1; i += MR) {
          int mr = Math.min(MR, m - i);
          GemmMicroKernel.product(ap, apOff + i * kc, bp, j * kc, kc, tile);
          GemmMicroKernel.merge(tile, mr, nr, c, cOff + i * ldc + j, ldc, alpha, beta);
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
