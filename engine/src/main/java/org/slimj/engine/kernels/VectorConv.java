package org.slimj.engine.kernels;

/**
 * Dense convolutions as GEMMs, one image at a time, with {@code W} the {@code cout x K} prefix of
 * the weights (rows {@code ldw} apart, {@code K = cin*kh*kw}). A 1x1, stride-1, unpadded
 * convolution multiplies by the image itself ({@code cin x P}); any other multiplies by the
 * image's {@link VirtualIm2col} matrix, read by the GEMM's packing straight from the padded
 * (phase-split) input planes, so no im2col matrix is ever written.
 *
 * <p>With at least as many images as threads, images are split over the pool and each thread
 * packs the weights once and runs single-threaded GEMMs; with fewer (batch-1 inference), images
 * run one after another and the GEMMs are parallel. Weight gradients are summed over the batch
 * into per-chunk partial buffers, then added in chunk order, so results depend only on the thread
 * count.
 */
final class VectorConv {
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

  /** {@link Kernels#conv2dForward}. */
  void forward(ConvShape s, float[] x, int xOff, float[] w, int wOff, int ldw, float[] y, int yOff) {
    assert ldw >= depth(s) : "ldw " + ldw + " < cin*kh*kw " + depth(s);
    if (s.n() < parallel.threads()) {
      for (int i = 0; i < s.n(); i++) {
        forwardWide(s, x, xOff + i * s.inPerImage(), w, wOff, ldw, y, yOff + i * s.outPerImage());
      }
      return;
    }
    parallel.forRange(s.n(), 1, (chunk, from, to) -> {
      Workspace ws = workspaces.get();
      float[] wp = ws.floats(Workspace.PACK_A, VectorGemm.packedSize(s.cout(), depth(s)));
      VectorGemm.packAll(false, s.cout(), depth(s), w, wOff, ldw, wp);
      if (isPointwise(s)) {
        for (int i = from; i < to; i++) {
          VectorGemm.multiplyPacked(wp, s.cout(), depth(s), pixels(s), 1f, x, xOff + i * s.inPerImage(), pixels(s),
              0f, y, yOff + i * s.outPerImage(), pixels(s), ws);
        }
        return;
      }
      VirtualIm2col v = new VirtualIm2col(s);
      int[] rows = v.rowStarts(ws.ints(Workspace.CONV_ROWS, v.rows()));
      float[] planes = ws.floats(Workspace.PLANES, v.planesSize());
      float[] yp = ws.floats(Workspace.COL, v.matrixSize(s.cout()));
      for (int i = from; i < to; i++) {
        v.split(x, xOff + i * s.inPerImage(), planes);
        VectorGemm.multiplyPackedRows(wp, s.cout(), v.rows(), v.cols(), 1f, planes, rows, 0, 0f, yp, 0, v.cols(), ws);
        v.gather(yp, y, yOff + i * s.outPerImage());
      }
    });
  }

  /** One image with a parallel GEMM. */
  private void forwardWide(ConvShape s, float[] x, int xi, float[] w, int wOff, int ldw, float[] y, int yi) {
    if (isPointwise(s)) {
      gemm.sgemm(false, false, s.cout(), pixels(s), depth(s), 1f, w, wOff, ldw, x, xi, pixels(s), 0f, y, yi, pixels(s));
      return;
    }
    Workspace ws = workspaces.get();
    VirtualIm2col v = new VirtualIm2col(s);
    int[] rows = v.rowStarts(ws.ints(Workspace.CONV_ROWS, v.rows()));
    float[] planes = ws.floats(Workspace.PLANES, v.planesSize());
    float[] yp = ws.floats(Workspace.COL, v.matrixSize(s.cout()));
    v.split(x, xi, planes);
    gemm.sgemmRows(false, false, s.cout(), v.cols(), v.rows(), 1f, w, wOff, ldw, planes, rows, 0, 0, 0f, yp, 0, v.cols());
    v.gather(yp, y, yi);
  }

  /** {@link Kernels#conv2dBackwardData}: dx += (W^T * dy) mapped back onto the input. */
  void backwardData(ConvShape s, float[] dy, int dyOff, float[] w, int wOff, int ldw, float[] dx, int dxOff) {
    assert ldw >= depth(s) : "ldw " + ldw + " < cin*kh*kw " + depth(s);
    if (s.n() < parallel.threads()) {
      for (int i = 0; i < s.n(); i++) {
        backwardDataWide(s, dy, dyOff + i * s.outPerImage(), w, wOff, ldw, dx, dxOff + i * s.inPerImage());
      }
      return;
    }
    parallel.forRange(s.n(), 1, (chunk, from, to) -> {
      Workspace ws = workspaces.get();
      float[] wp = ws.floats(Workspace.PACK_A, VectorGemm.packedSize(depth(s), s.cout()));
      VectorGemm.packAll(true, depth(s), s.cout(), w, wOff, ldw, wp);
      if (isPointwise(s)) {
        for (int i = from; i < to; i++) {
          VectorGemm.multiplyPacked(wp, depth(s), s.cout(), pixels(s), 1f, dy, dyOff + i * s.outPerImage(), pixels(s),
              1f, dx, dxOff + i * s.inPerImage(), pixels(s), ws);
        }
        return;
      }
      VirtualIm2col v = new VirtualIm2col(s);
      int[] rows = v.rowStarts(ws.ints(Workspace.CONV_ROWS, v.rows()));
      float[] dyp = ws.floats(Workspace.PLANE_OUT, v.matrixSize(s.cout()));
      float[] dcol = ws.floats(Workspace.COL, v.matrixSize(v.rows()));
      float[] grad = ws.floats(Workspace.PLANES, v.planesSize());
      for (int i = from; i < to; i++) {
        v.spread(dy, dyOff + i * s.outPerImage(), dyp);
        VectorGemm.multiplyPacked(wp, v.rows(), s.cout(), v.cols(), 1f, dyp, 0, v.cols(), 0f, dcol, 0, v.cols(), ws);
        v.addColumns(dcol, rows, grad);
        v.addPlanes(grad, dx, dxOff + i * s.inPerImage());
      }
    });
  }

  private void backwardDataWide(ConvShape s, float[] dy, int dyi, float[] w, int wOff, int ldw, float[] dx, int dxi) {
    if (isPointwise(s)) {
      gemm.sgemm(true, false, depth(s), pixels(s), s.cout(), 1f, w, wOff, ldw, dy, dyi, pixels(s), 1f, dx, dxi, pixels(s));
      return;
    }
    Workspace ws = workspaces.get();
    VirtualIm2col v = new VirtualIm2col(s);
    int[] rows = v.rowStarts(ws.ints(Workspace.CONV_ROWS, v.rows()));
    float[] dyp = ws.floats(Workspace.PLANE_OUT, v.matrixSize(s.cout()));
    float[] dcol = ws.floats(Workspace.COL, v.matrixSize(v.rows()));
    float[] grad = ws.floats(Workspace.PLANES, v.planesSize());
    v.spread(dy, dyi, dyp);
    gemm.sgemm(true, false, v.rows(), v.cols(), s.cout(), 1f, w, wOff, ldw, dyp, 0, v.cols(), 0f, dcol, 0, v.cols());
    v.addColumns(dcol, rows, grad);
    v.addPlanes(grad, dx, dxi);
  }

  /** {@link Kernels#conv2dBackwardWeights}: dW += sum over images of dy * im2col^T. */
  void backwardWeights(ConvShape s, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff, int ldw) {
    assert ldw >= depth(s) : "ldw " + ldw + " < cin*kh*kw " + depth(s);
    if (s.n() < parallel.threads()) {
      for (int i = 0; i < s.n(); i++) {
        backwardWeightsWide(s, x, xOff + i * s.inPerImage(), dy, dyOff + i * s.outPerImage(), dw, dwOff, ldw);
      }
      return;
    }
    int k = depth(s);
    int block = s.cout() * k;
    int chunks = parallel.chunks(s.n(), 1);
    float[] partial = chunks == 1 ? null : workspaces.get().floats(Workspace.PARTIAL, (chunks - 1) * block);
    parallel.forRange(s.n(), 1, (chunk, from, to) -> {
      if (chunk == 0) {
        weightsOfImages(s, from, to, x, xOff, dy, dyOff, true, dw, dwOff, ldw);
      } else {
        weightsOfImages(s, from, to, x, xOff, dy, dyOff, false, partial, (chunk - 1) * block, k);
      }
    });
    for (int c = 1; c < chunks; c++) {
      for (int o = 0; o < s.cout(); o++) {
        VectorElementwise.addInto(k, partial, (c - 1) * block + o * k, dw, dwOff + o * ldw);
      }
    }
  }

  /** Weight gradient of images [from, to) added to (or, if not {@code accumulate}, written to) g. */
  private void weightsOfImages(
      ConvShape s, int from, int to, float[] x, int xOff, float[] dy, int dyOff,
      boolean accumulate, float[] g, int gOff, int ldg) {
    Workspace ws = workspaces.get();
    if (isPointwise(s)) {
      for (int i = from; i < to; i++) {
        float beta = accumulate || i > from ? 1f : 0f;
        VectorGemm.serial(false, true, s.cout(), depth(s), pixels(s), 1f, dy, dyOff + i * s.outPerImage(), pixels(s),
            x, xOff + i * s.inPerImage(), pixels(s), beta, g, gOff, ldg, ws);
      }
      return;
    }
    VirtualIm2col v = new VirtualIm2col(s);
    int[] rows = v.rowStarts(ws.ints(Workspace.CONV_ROWS, v.rows()));
    float[] planes = ws.floats(Workspace.PLANES, v.planesSize());
    float[] dyp = ws.floats(Workspace.PLANE_OUT, v.matrixSize(s.cout()));
    for (int i = from; i < to; i++) {
      float beta = accumulate || i > from ? 1f : 0f;
      v.split(x, xOff + i * s.inPerImage(), planes);
      v.spread(dy, dyOff + i * s.outPerImage(), dyp);
      VectorGemm.serialRows(false, true, s.cout(), v.rows(), v.cols(), 1f, dyp, 0, v.cols(), planes, rows, 0, 0,
          beta, g, gOff, ldg, ws);
    }
  }

  private void backwardWeightsWide(ConvShape s, float[] x, int xi, float[] dy, int dyi, float[] dw, int dwOff, int ldw) {
    if (isPointwise(s)) {
      gemm.sgemm(false, true, s.cout(), depth(s), pixels(s), 1f, dy, dyi, pixels(s), x, xi, pixels(s), 1f, dw, dwOff, ldw);
      return;
    }
    Workspace ws = workspaces.get();
    VirtualIm2col v = new VirtualIm2col(s);
    int[] rows = v.rowStarts(ws.ints(Workspace.CONV_ROWS, v.rows()));
    float[] planes = ws.floats(Workspace.PLANES, v.planesSize());
    float[] dyp = ws.floats(Workspace.PLANE_OUT, v.matrixSize(s.cout()));
    v.split(x, xi, planes);
    v.spread(dy, dyi, dyp);
    gemm.sgemmRows(false, true, s.cout(), v.rows(), v.cols(), 1f, dyp, 0, v.cols(), planes, rows, 0, 0, 1f, dw, dwOff, ldw);
  }
}
