package org.slimj.engine.kernels;

/**
 * Dense convolutions as GEMMs, one image at a time: {@code y = W * col(x)} with {@code W} the
 * {@code cout x K} prefix of the weights (rows {@code ldw} apart) and {@code col} the {@link
 * Im2col} matrix ({@code K x P}). A 1x1, stride-1, unpadded convolution needs no im2col: the image
 * itself is the {@code cin x P} matrix.
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

  /** {@link Kernels#conv2dForward}. */
  void forward(ConvShape s, float[] x, int xOff, float[] w, int wOff, int ldw, float[] y, int yOff) {
    assert ldw >= Im2col.rows(s) : "ldw " + ldw + " < cin*kh*kw " + Im2col.rows(s);
    if (s.n() < parallel.threads()) {
      for (int i = 0; i < s.n(); i++) {
        forwardWide(s, x, xOff + i * s.inPerImage(), w, wOff, ldw, y, yOff + i * s.outPerImage());
      }
      return;
    }
    parallel.forRange(s.n(), 1, (chunk, from, to) -> {
      Workspace ws = workspaces.get();
      int k = Im2col.rows(s);
      int p = Im2col.cols(s);
      float[] wp = ws.floats(Workspace.PACK_A, VectorGemm.packedSize(s.cout(), k));
      VectorGemm.packAll(false, s.cout(), k, w, wOff, ldw, wp);
      for (int i = from; i < to; i++) {
        int yi = yOff + i * s.outPerImage();
        int xi = xOff + i * s.inPerImage();
        if (isPointwise(s)) {
          VectorGemm.multiplyPacked(wp, s.cout(), k, false, p, 1f, x, xi, p, 0f, y, yi, p, ws);
        } else {
          float[] col = ws.floats(Workspace.COL, k * p);
          Im2col.im2col(s, x, xi, col);
          VectorGemm.multiplyPacked(wp, s.cout(), k, false, p, 1f, col, 0, p, 0f, y, yi, p, ws);
        }
      }
    });
  }

  /** One image with a parallel GEMM. */
  private void forwardWide(ConvShape s, float[] x, int xi, float[] w, int wOff, int ldw, float[] y, int yi) {
    int k = Im2col.rows(s);
    int p = Im2col.cols(s);
    if (isPointwise(s)) {
      gemm.sgemm(false, false, s.cout(), p, k, 1f, w, wOff, ldw, x, xi, p, 0f, y, yi, p);
    } else {
      float[] col = workspaces.get().floats(Workspace.COL, k * p);
      Im2col.im2col(s, x, xi, col);
      gemm.sgemm(false, false, s.cout(), p, k, 1f, w, wOff, ldw, col, 0, p, 0f, y, yi, p);
    }
  }

  /** {@link Kernels#conv2dBackwardData}: dx += col2im(W^T * dy). */
  void backwardData(ConvShape s, float[] dy, int dyOff, float[] w, int wOff, int ldw, float[] dx, int dxOff) {
    assert ldw >= Im2col.rows(s) : "ldw " + ldw + " < cin*kh*kw " + Im2col.rows(s);
    if (s.n() < parallel.threads()) {
      for (int i = 0; i < s.n(); i++) {
        backwardDataWide(s, dy, dyOff + i * s.outPerImage(), w, wOff, ldw, dx, dxOff + i * s.inPerImage());
      }
      return;
    }
    parallel.forRange(s.n(), 1, (chunk, from, to) -> {
      Workspace ws = workspaces.get();
      int k = Im2col.rows(s);
      int p = Im2col.cols(s);
      float[] wp = ws.floats(Workspace.PACK_A, VectorGemm.packedSize(k, s.cout()));
      VectorGemm.packAll(true, k, s.cout(), w, wOff, ldw, wp);
      for (int i = from; i < to; i++) {
        int dyi = dyOff + i * s.outPerImage();
        int dxi = dxOff + i * s.inPerImage();
        if (isPointwise(s)) {
          VectorGemm.multiplyPacked(wp, k, s.cout(), false, p, 1f, dy, dyi, p, 1f, dx, dxi, p, ws);
        } else {
          float[] col = ws.floats(Workspace.COL, k * p);
          VectorGemm.multiplyPacked(wp, k, s.cout(), false, p, 1f, dy, dyi, p, 0f, col, 0, p, ws);
          Im2col.col2imAdd(s, col, dx, dxi);
        }
      }
    });
  }

  private void backwardDataWide(ConvShape s, float[] dy, int dyi, float[] w, int wOff, int ldw, float[] dx, int dxi) {
    int k = Im2col.rows(s);
    int p = Im2col.cols(s);
    if (isPointwise(s)) {
      gemm.sgemm(true, false, k, p, s.cout(), 1f, w, wOff, ldw, dy, dyi, p, 1f, dx, dxi, p);
    } else {
      float[] col = workspaces.get().floats(Workspace.COL, k * p);
      gemm.sgemm(true, false, k, p, s.cout(), 1f, w, wOff, ldw, dy, dyi, p, 0f, col, 0, p);
      Im2col.col2imAdd(s, col, dx, dxi);
    }
  }

  /** {@link Kernels#conv2dBackwardWeights}: dW += sum over images of dy * col^T. */
  void backwardWeights(ConvShape s, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff, int ldw) {
    assert ldw >= Im2col.rows(s) : "ldw " + ldw + " < cin*kh*kw " + Im2col.rows(s);
    if (s.n() < parallel.threads()) {
      for (int i = 0; i < s.n(); i++) {
        backwardWeightsWide(s, x, xOff + i * s.inPerImage(), dy, dyOff + i * s.outPerImage(), dw, dwOff, ldw);
      }
      return;
    }
    int k = Im2col.rows(s);
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
    int k = Im2col.rows(s);
    int p = Im2col.cols(s);
    for (int i = from; i < to; i++) {
      float beta = accumulate || i > from ? 1f : 0f;
      int xi = xOff + i * s.inPerImage();
      int dyi = dyOff + i * s.outPerImage();
      if (isPointwise(s)) {
        VectorGemm.serial(false, true, s.cout(), k, p, 1f, dy, dyi, p, x, xi, p, beta, g, gOff, ldg, ws);
      } else {
        float[] col = ws.floats(Workspace.COL, k * p);
        Im2col.im2col(s, x, xi, col);
        VectorGemm.serial(false, true, s.cout(), k, p, 1f, dy, dyi, p, col, 0, p, beta, g, gOff, ldg, ws);
      }
    }
  }

  private void backwardWeightsWide(ConvShape s, float[] x, int xi, float[] dy, int dyi, float[] dw, int dwOff, int ldw) {
    int k = Im2col.rows(s);
    int p = Im2col.cols(s);
    if (isPointwise(s)) {
      gemm.sgemm(false, true, s.cout(), k, p, 1f, dy, dyi, p, x, xi, p, 1f, dw, dwOff, ldw);
    } else {
      float[] col = workspaces.get().floats(Workspace.COL, k * p);
      Im2col.im2col(s, x, xi, col);
      gemm.sgemm(false, true, s.cout(), k, p, 1f, dy, dyi, p, col, 0, p, 1f, dw, dwOff, ldw);
    }
  }
}
