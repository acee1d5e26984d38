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
      Workspace ws = workspaces.get();
      GemmOperand wo = GemmOperand.plain(w, wOff, ldw, s.cout(), ws.ints(Workspace.A_ROWS, s.cout()));
      for (int i = 0; i < s.n(); i++) {
        forwardImage(s, wide(), ws, wo, x, xOff + i * s.inPerImage(), y, yOff + i * s.outPerImage());
      }
      return;
    }
    parallel.forRange(s.n(), 1, (chunk, from, to) -> {
      Workspace ws = workspaces.get();
      GemmOperand wo = GemmOperand.plain(w, wOff, ldw, s.cout(), ws.ints(Workspace.A_ROWS, s.cout()));
      Product mul = serial(ws);
      for (int i = from; i < to; i++) {
        forwardImage(s, mul, ws, wo, x, xOff + i * s.inPerImage(), y, yOff + i * s.outPerImage());
      }
    });
  }

  private static void forwardImage(
      ConvShape s, Product mul, Workspace ws, GemmOperand w, float[] x, int xi, float[] y, int yi) {
    if (isPointwise(s)) {
      GemmOperand xo = GemmOperand.plain(x, xi, pixels(s), s.cin(), ws.ints(Workspace.B_ROWS, s.cin()));
      mul.run(false, w, false, xo, s.cout(), pixels(s), s.cin(), 0f, y, yi, pixels(s));
      return;
    }
    VirtualIm2col v = new VirtualIm2col(s);
    float[] planes = ws.floats(Workspace.PLANES, v.planesSize());
    float[] yp = ws.floats(Workspace.COL, v.matrixSize(s.cout()));
    v.split(x, xi, planes);
    GemmOperand col = new GemmOperand(planes, v.rowStarts(ws.ints(Workspace.CONV_ROWS, v.rows())), 0, 0);
    mul.run(false, w, false, col, s.cout(), v.cols(), v.rows(), 0f, yp, 0, v.cols());
    v.gather(yp, y, yi);
  }

  // ------------------------------------------------------------------ backward data

  /** {@link Kernels#conv2dBackwardData}: dx += (W^T * dy) mapped back onto the input. */
  void backwardData(ConvShape s, float[] dy, int dyOff, float[] w, int wOff, int ldw, float[] dx, int dxOff) {
    assert ldw >= depth(s) : "ldw " + ldw + " < cin*kh*kw " + depth(s);
    if (s.n() < parallel.threads()) {
      Workspace ws = workspaces.get();
      GemmOperand wt = transposedWeights(s, w, wOff, ldw, ws);
      for (int i = 0; i < s.n(); i++) {
        backwardDataImage(s, wide(), ws, wt, dy, dyOff + i * s.outPerImage(), dx, dxOff + i * s.inPerImage());
      }
      return;
    }
    parallel.forRange(s.n(), 1, (chunk, from, to) -> {
      Workspace ws = workspaces.get();
      GemmOperand wt = transposedWeights(s, w, wOff, ldw, ws);
      Product mul = serial(ws);
      for (int i = from; i < to; i++) {
        backwardDataImage(s, mul, ws, wt, dy, dyOff + i * s.outPerImage(), dx, dxOff + i * s.inPerImage());
      }
    });
  }

  /** W^T ({@code K x cout}) copied row-major into {@code ws}. */
  private static GemmOperand transposedWeights(ConvShape s, float[] w, int wOff, int ldw, Workspace ws) {
    int k = depth(s);
    int[] rows = ws.ints(Workspace.A_ROWS, Math.max(k, s.cout()));
    float[] wt = ws.floats(Workspace.WEIGHTS, k * s.cout());
    VectorGemm.transposeAll(GemmOperand.plain(w, wOff, ldw, s.cout(), rows), k, s.cout(), wt);
    return GemmOperand.plain(wt, 0, s.cout(), k, rows);
  }

  private static void backwardDataImage(
      ConvShape s, Product mul, Workspace ws, GemmOperand wt, float[] dy, int dyi, float[] dx, int dxi) {
    if (isPointwise(s)) {
      GemmOperand dyo = GemmOperand.plain(dy, dyi, pixels(s), s.cout(), ws.ints(Workspace.B_ROWS, s.cout()));
      mul.run(false, wt, false, dyo, s.cin(), pixels(s), s.cout(), 1f, dx, dxi, pixels(s));
      return;
    }
    VirtualIm2col v = new VirtualIm2col(s);
    float[] dyp = ws.floats(Workspace.PLANE_OUT, v.matrixSize(s.cout()));
    float[] dcol = ws.floats(Workspace.COL, v.matrixSize(v.rows()));
    float[] grad = ws.floats(Workspace.PLANES, v.planesSize());
    v.spread(dy, dyi, dyp);
    GemmOperand dyo = GemmOperand.plain(dyp, 0, v.cols(), s.cout(), ws.ints(Workspace.B_ROWS, s.cout()));
    mul.run(false, wt, false, dyo, v.rows(), v.cols(), s.cout(), 0f, dcol, 0, v.cols());
    v.addColumns(dcol, v.rowStarts(ws.ints(Workspace.CONV_ROWS, v.rows())), grad);
    v.addPlanes(grad, dx, dxi);
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
      for (int i = 0; i < s.n(); i++) {
        float beta = flipped && i == 0 ? 0f : 1f;
        weightsOfImage(s, wide(), ws, flipped, x, xOff + i * s.inPerImage(), dy, dyOff + i * s.outPerImage(),
            beta, t, flipped ? 0 : dwOff, flipped ? s.cout() : ldw);
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
      for (int i = from; i < to; i++) {
        float beta = direct || i > from ? 1f : 0f;
        int xi = xOff + i * s.inPerImage();
        int dyi = dyOff + i * s.outPerImage();
        if (direct) {
          weightsOfImage(s, mul, ws, false, x, xi, dy, dyi, beta, dw, dwOff, ldw);
        } else {
          int off = (flipped ? chunk : chunk - 1) * block;
          weightsOfImage(s, mul, ws, flipped, x, xi, dy, dyi, beta, partial, off, flipped ? s.cout() : depth(s));
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
   * One image's weight gradient: g = dY * col^T + beta * g ({@code cout x K}, rows ldg apart), or if
   * {@code flipped}, g = col * dY^T + beta * g ({@code K x cout}).
   */
  private static void weightsOfImage(
      ConvShape s, Product mul, Workspace ws, boolean flipped, float[] x, int xi, float[] dy, int dyi,
      float beta, float[] g, int gOff, int ldg) {
    int k = depth(s);
    GemmOperand col;
    GemmOperand dyo;
    int cols;
    if (isPointwise(s)) {
      cols = pixels(s);
      col = GemmOperand.plain(x, xi, cols, k, ws.ints(Workspace.CONV_ROWS, k));
      dyo = GemmOperand.plain(dy, dyi, cols, s.cout(), ws.ints(Workspace.B_ROWS, s.cout()));
    } else {
      VirtualIm2col v = new VirtualIm2col(s);
      cols = v.cols();
      float[] planes = ws.floats(Workspace.PLANES, v.planesSize());
      float[] dyp = ws.floats(Workspace.PLANE_OUT, v.matrixSize(s.cout()));
      v.split(x, xi, planes);
      v.spread(dy, dyi, dyp);
      col = new GemmOperand(planes, v.rowStarts(ws.ints(Workspace.CONV_ROWS, k)), 0, 0);
      dyo = GemmOperand.plain(dyp, 0, cols, s.cout(), ws.ints(Workspace.B_ROWS, s.cout()));
    }
    if (flipped) {
      mul.run(false, col, true, dyo, k, s.cout(), cols, beta, g, gOff, ldg);
    } else {
      mul.run(false, dyo, true, col, s.cout(), k, cols, beta, g, gOff, ldg);
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
