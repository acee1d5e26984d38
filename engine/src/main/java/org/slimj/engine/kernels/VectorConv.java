package org.slimj.engine.kernels;

/**
 * Dense convolutions as GEMMs, one image at a time, with {@code W} the {@code cout x K} prefix of
 * the weights (rows {@code ldw} apart, {@code K = cin*kh*kw}). A 1x1, stride-1, unpadded
 * convolution multiplies by the image itself ({@code cin x P}); any other by the image's {@link
 * VirtualIm2col} matrix, read by the GEMM straight from the padded (phase-split) input planes, so
 * no im2col matrix is ever written.
 *
 * <ul>
 *   <li>forward: {@code Y = W * col};
 *   <li>backward data: {@code dcol = W^T * dY}, with W transposed once per chunk, then mapped
 *       back onto the input (for 1x1: added straight into dx);
 *   <li>backward weights: {@code dW += dY * col^T}, or, when {@code K > cout}, {@code dW^T += col
 *       * dY^T} into a buffer added transposed, so the larger operand is read in place and only
 *       the smaller is transposed into GEMM panels.
 * </ul>
 *
 * <p>With at least as many images as threads, images are split over the pool and each thread
 * runs single-threaded GEMMs; with fewer (batch-1 inference), images run one after another with
 * parallel GEMMs. Weight gradients of a chunk of images go to a per-chunk buffer, added in chunk
 * order, so results depend only on the thread count.
 */
final class VectorConv {
  /** A GEMM with alpha 1: {@code C = op(A) * op(B) + beta * C}. */
  @FunctionalInterface
  private interface Product {
    void run(boolean transA, GemmOperand a, boolean transB, GemmOperand b, int m, int n, int k,
        float beta, float[] c, int cOff, int ldc);
  }

  private final Parallel parallel;
  private final ThreadLocal<Workspace> workspaces;
  private final VectorGemm gemm;

  VectorConv(Parallel parallel, ThreadLocal<Workspace> workspaces, VectorGemm gemm) {
    this.parallel = parallel;
    this.workspaces = workspaces;
    this.gemm = gemm;
  }

  /** Whether the input image is its own im2col matrix. */
  static boolean isPointwise(ConvShape s) {
    return s.kh() == 1 && s.kw() == 1 && s.stride() == 1 && s.pad() == 0;
  }

  private static int depth(ConvShape s) {
    return s.cin() * s.kernelArea();
  }

  private static int pixels(ConvShape s) {
    return s.hout() * s.wout();
  }

  private Product wide() {
    return (ta, a, tb, b, m, n, k, beta, c, cOff, ldc) ->
        gemm.multiply(ta, a, tb, b, m, n, k, 1f, beta, c, cOff, ldc);
  }

  private static Product serial(Workspace ws) {
    return (ta, a, tb, b, m, n, k, beta, c, cOff, ldc) ->
        VectorGemm.serial(ta, a, tb, b, m, n, k, 1f, beta, c, cOff, ldc, ws);
  }

  // ------------------------------------------------------------------ forward

  /** {@link Kernels#conv2dForward}. */
  void forward(ConvShape s, float[] x, int xOff, float[] w, int wOff, int ldw, float[] y, int yOff) {
    assert ldw >= depth(s) : "ldw " + ldw + " < cin*kh*kw " + depth(s);
    if (s.n() < parallel.threads()) {
      forwardImages(s, wide(), workspaces.get(), 0, s.n(), x, xOff, w, wOff, ldw, y, yOff);
      return;
    }
    parallel.forRange(s.n(), 1, (chunk, from, to) -> {
      Workspace ws = workspaces.get();
      forwardImages(s, serial(ws), ws, from, to, x, xOff, w, wOff, ldw, y, yOff);
    });
  }

  /**
   * Images {@code [from, to)}. The operands and the im2col geometry are made once here, not per
   * image: an image only rewrites the row table of its input (1x1) or the planes (other).
   */
  private static void forwardImages(
      ConvShape s, Product mul, Workspace ws, int from, int to, float[] x, int xOff, float[] w, int wOff, int ldw,
      float[] y, int yOff) {
    GemmOperand wo = GemmOperand.plain(w, wOff, ldw, s.cout(), ws.ints(Workspace.A_ROWS, s.cout()));
    if (isPointwise(s)) {
      int[] table = ws.ints(Workspace.B_ROWS, s.cin());
      GemmOperand xo = new GemmOperand(x, table, 0, 0);
      for (int i = from; i < to; i++) {
        GemmOperand.plainRows(xOff + i * s.inPerImage(), pixels(s), s.cin(), table);
        mul.run(false, wo, false, xo, s.cout(), pixels(s), s.cin(), 0f, y, yOff + i * s.outPerImage(), pixels(s));
      }
      return;
    }
    VirtualIm2col v = new VirtualIm2col(s);
    float[] planes = ws.floats(Workspace.PLANES, v.planesSize());
    float[] yp = ws.floats(Workspace.COL, v.matrixSize(s.cout()));
    GemmOperand col = new GemmOperand(planes, v.rowStarts(ws.ints(Workspace.CONV_ROWS, v.rows())), 0, 0);
    for (int i = from; i < to; i++) {
      v.split(x, xOff + i * s.inPerImage(), planes);
      mul.run(false, wo, false, col, s.cout(), v.cols(), v.rows(), 0f, yp, 0, v.cols());
      v.gather(yp, y, yOff + i * s.outPerImage());
    }
  }

  // ------------------------------------------------------------------ backward data

  /** {@link Kernels#conv2dBackwardData}: dx += (W^T * dy) mapped back onto the input. */
  void backwardData(ConvShape s, float[] dy, int dyOff, float[] w, int wOff, int ldw, float[] dx, int dxOff) {
    assert ldw >= depth(s) : "ldw " + ldw + " < cin*kh*kw " + depth(s);
    if (s.n() < parallel.threads()) {
      backwardDataImages(s, wide(), workspaces.get(), 0, s.n(), dy, dyOff, w, wOff, ldw, dx, dxOff);
      return;
    }
    parallel.forRange(s.n(), 1, (chunk, from, to) -> {
      Workspace ws = workspaces.get();
      backwardDataImages(s, serial(ws), ws, from, to, dy, dyOff, w, wOff, ldw, dx, dxOff);
    });
  }

  /** Images {@code [from, to)} of {@link #backwardData}, operands made once (see {@link #forwardImages}). */
  private static void backwardDataImages(
      ConvShape s, Product mul, Workspace ws, int from, int to, float[] dy, int dyOff, float[] w, int wOff, int ldw,
      float[] dx, int dxOff) {
    GemmOperand wt = transposedWeights(s, w, wOff, ldw, ws);
    if (isPointwise(s)) {
      int[] table = ws.ints(Workspace.B_ROWS, s.cout());
      GemmOperand dyo = new GemmOperand(dy, table, 0, 0);
      for (int i = from; i < to; i++) {
        GemmOperand.plainRows(dyOff + i * s.outPerImage(), pixels(s), s.cout(), table);
        mul.run(false, wt, false, dyo, s.cin(), pixels(s), s.cout(), 1f, dx, dxOff + i * s.inPerImage(), pixels(s));
      }
      return;
    }
    VirtualIm2col v = new VirtualIm2col(s);
    float[] dyp = ws.floats(Workspace.PLANE_OUT, v.matrixSize(s.cout()));
    float[] dcol = ws.floats(Workspace.COL, v.matrixSize(v.rows()));
    float[] grad = ws.floats(Workspace.PLANES, v.planesSize());
    GemmOperand dyo = GemmOperand.plain(dyp, 0, v.cols(), s.cout(), ws.ints(Workspace.B_ROWS, s.cout()));
    int[] rows = v.rowStarts(ws.ints(Workspace.CONV_ROWS, v.rows()));
    for (int i = from; i < to; i++) {
      v.spread(dy, dyOff + i * s.outPerImage(), dyp);
      mul.run(false, wt, false, dyo, v.rows(), v.cols(), s.cout(), 0f, dcol, 0, v.cols());
      v.addColumns(dcol, rows, grad);
      v.addPlanes(grad, dx, dxOff + i * s.inPerImage());
    }
  }

  /** W^T ({@code K x cout}) copied row-major into {@code ws}. */
  private static GemmOperand transposedWeights(ConvShape s, float[] w, int wOff, int ldw, Workspace ws) {
    int k = depth(s);
    int[] rows = ws.ints(Workspace.A_ROWS, Math.max(k, s.cout()));
    float[] wt = ws.floats(Workspace.WEIGHTS, k * s.cout());
    VectorGemm.transposeAll(GemmOperand.plain(w, wOff, ldw, s.cout(), rows), k, s.cout(), wt);
    return GemmOperand.plain(wt, 0, s.cout(), k, rows);
  }

  // ------------------------------------------------------------------ backward weights

  /** {@link Kernels#conv2dBackwardWeights}: dW += sum over images of dY * col^T. */
  void backwardWeights(ConvShape s, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff, int ldw) {
    assert ldw >= depth(s) : "ldw " + ldw + " < cin*kh*kw " + depth(s);
    if (ConvWeightsDot.suits(s)) {
      backwardWeightsDot(s, x, xOff, dy, dyOff, dw, dwOff, ldw);
      return;
    }
    boolean flipped = depth(s) > s.cout();
    int block = s.cout() * depth(s);
    if (s.n() < parallel.threads()) {
      Workspace ws = workspaces.get();
      float[] t = flipped ? ws.floats(Workspace.PARTIAL, block) : dw;
      Product mul = wide();
      WeightOperands op = new WeightOperands(s, ws, x, dy);
      for (int i = 0; i < s.n(); i++) {
        float beta = flipped && i == 0 ? 0f : 1f;
        op.load(xOff + i * s.inPerImage(), dyOff + i * s.outPerImage());
        weightsOfImage(s, mul, op, flipped, beta, t, flipped ? 0 : dwOff, flipped ? s.cout() : ldw);
      }
      if (flipped) {
        addTransposed(s, t, 0, dw, dwOff, ldw);
      }
      return;
    }
    int chunks = parallel.chunks(s.n(), 1);
    int buffers = flipped ? chunks : chunks - 1;
    float[] partial = buffers == 0 ? null : workspaces.get().floats(Workspace.PARTIAL, buffers * block);
    parallel.forRange(s.n(), 1, (chunk, from, to) -> {
      boolean direct = !flipped && chunk == 0;
      Workspace ws = workspaces.get();
      Product mul = serial(ws);
      WeightOperands op = new WeightOperands(s, ws, x, dy);
      for (int i = from; i < to; i++) {
        float beta = direct || i > from ? 1f : 0f;
        op.load(xOff + i * s.inPerImage(), dyOff + i * s.outPerImage());
        if (direct) {
          weightsOfImage(s, mul, op, false, beta, dw, dwOff, ldw);
        } else {
          int off = (flipped ? chunk : chunk - 1) * block;
          weightsOfImage(s, mul, op, flipped, beta, partial, off, flipped ? s.cout() : depth(s));
        }
      }
    });
    for (int c = flipped ? 0 : 1; c < chunks; c++) {
      int off = (flipped ? c : c - 1) * block;
      if (flipped) {
        addTransposed(s, partial, off, dw, dwOff, ldw);
      } else {
        for (int o = 0; o < s.cout(); o++) {
          VectorElementwise.addInto(depth(s), partial, off + o * depth(s), dw, dwOff + o * ldw);
        }
      }
    }
  }

  /**
   * {@link ConvWeightsDot}: each chunk of images sums into its own {@code cout x K} block of the
   * caller's scratch; the blocks are added to dW in chunk order.
   */
  private void backwardWeightsDot(ConvShape s, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff, int ldw) {
    int k = depth(s);
    int block = s.cout() * k;
    int chunks = parallel.chunks(s.n(), 1);
    float[] partial = workspaces.get().floats(Workspace.PARTIAL, chunks * block);
    parallel.forRange(s.n(), 1, (chunk, from, to) ->
        ConvWeightsDot.chunk(s, x, xOff, dy, dyOff, from, to, partial, chunk * block, workspaces.get()));
    for (int c = 0; c < chunks; c++) {
      for (int o = 0; o < s.cout(); o++) {
        VectorElementwise.addInto(k, partial, c * block + o * k, dw, dwOff + o * ldw);
      }
    }
  }

  /**
   * The two operands of one image's weight gradient, made once per chunk of images in the calling
   * thread's workspace: the image's im2col matrix {@code col} ({@code K x cols}) and its output
   * gradient {@code dyo} ({@code cout x cols}); {@link #load} points them at an image.
   */
  private static final class WeightOperands {
    private final ConvShape s;
    private final float[] x;
    private final float[] dy;
    private final VirtualIm2col v;
    final GemmOperand col;
    final GemmOperand dyo;
    final int cols;

    WeightOperands(ConvShape s, Workspace ws, float[] x, float[] dy) {
      this.s = s;
      this.x = x;
      this.dy = dy;
      int k = depth(s);
      if (isPointwise(s)) {
        v = null;
        cols = pixels(s);
        col = new GemmOperand(x, ws.ints(Workspace.CONV_ROWS, k), 0, 0);
        dyo = new GemmOperand(dy, ws.ints(Workspace.B_ROWS, s.cout()), 0, 0);
      } else {
        v = new VirtualIm2col(s);
        cols = v.cols();
        col = new GemmOperand(
            ws.floats(Workspace.PLANES, v.planesSize()), v.rowStarts(ws.ints(Workspace.CONV_ROWS, k)), 0, 0);
        dyo = GemmOperand.plain(ws.floats(Workspace.PLANE_OUT, v.matrixSize(s.cout())), 0, cols, s.cout(),
            ws.ints(Workspace.B_ROWS, s.cout()));
      }
    }

    /** Points the operands at the image at x[xi ..], dy[dyi ..] (1x1: row tables; else split and spread). */
    void load(int xi, int dyi) {
      if (v == null) {
        GemmOperand.plainRows(xi, cols, depth(s), col.rows());
        GemmOperand.plainRows(dyi, cols, s.cout(), dyo.rows());
      } else {
        v.split(x, xi, col.data());
        v.spread(dy, dyi, dyo.data());
      }
    }
  }

  /**
   * The weight gradient of the image {@code op} was last loaded with: g = dY * col^T + beta * g
   * ({@code cout x K}, rows ldg apart), or if {@code flipped}, g = col * dY^T + beta * g ({@code K x
   * cout}).
   */
  private static void weightsOfImage(
      ConvShape s, Product mul, WeightOperands op, boolean flipped, float beta, float[] g, int gOff, int ldg) {
    int k = depth(s);
    if (flipped) {
      mul.run(false, op.col, true, op.dyo, k, s.cout(), op.cols, beta, g, gOff, ldg);
    } else {
      mul.run(false, op.dyo, true, op.col, s.cout(), k, op.cols, beta, g, gOff, ldg);
    }
  }

  /** dW[o, j] += t[j, o] for the {@code K x cout} buffer t at tOff. */
  private static void addTransposed(ConvShape s, float[] t, int tOff, float[] dw, int dwOff, int ldw) {
    int k = depth(s);
    int cout = s.cout();
    for (int j = 0; j < k; j++) {
      int src = tOff + j * cout;
      for (int o = 0; o < cout; o++) {
        dw[dwOff + o * ldw + j] += t[src + o];
      }
    }
  }
}
