package org.slimj.nativekernels;

/**
 * The JNI entry points of {@code libslimjnative.so} ({@code src/main/c/jni_bridge.c}; javac writes
 * their C declarations to {@code target/jni-headers}). Calls are single-threaded and pin their
 * arrays with {@code GetPrimitiveArrayCritical} for the length of the kernel: callers split work
 * between threads and must pass offsets and sizes that lie inside the arrays (the C code does not
 * check them), plus the address of a per-thread workspace of the size the {@code *Workspace}
 * function returns, in floats. Offsets and sizes follow {@link org.slimj.engine.kernels.Kernels}.
 * Only touched after {@link NativeLoader} has loaded the library.
 */
final class NativeBridge {
  /** Portable C (tests only). */
  static final int ISA_GENERIC = 0;

  /** x86-64 AVX2 + FMA. */
  static final int ISA_AVX2 = 1;

  /** x86-64 AVX-512F. */
  static final int ISA_AVX512 = 2;

  /** AArch64 NEON. */
  static final int ISA_NEON = 3;

  private NativeBridge() {}

  /** Bit {@code 1 << isa} for every instruction set this library has and this CPU runs. */
  static native int supportedIsas();

  /** Rows of C one micro-kernel call computes. */
  static native int tileRows(int isa);

  /** Columns of C one micro-kernel call computes. */
  static native int tileCols(int isa);

  static native long sgemmWorkspace(int isa, int m, int n, int k);

  static native long convForwardWorkspace(
      int isa, int cin, int h, int w, int cout, int kh, int kw, int stride, int pad);

  static native long depthwiseWorkspace(int h, int w, int kh, int kw, int stride, int pad);

  /** {@code C = alpha * op(A) * op(B) + beta * C}. */
  static native void sgemm(
      int isa, boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc, long workspace);

  /**
   * Forward convolution of {@code images} consecutive images starting at xOff / yOff, output
   * pixels [p0, p1) of each.
   */
  static native void convForward(
      int isa, int cin, int h, int w, int cout, int kh, int kw, int stride, int pad,
      int images, int p0, int p1, float[] x, int xOff, float[] wt, int wOff, int ldw,
      float[] y, int yOff, long workspace);

  /** Depthwise forward of planes [from, to) (plane = image * channels + channel). */
  static native void depthwiseForward(
      int isa, int channels, int h, int w, int kh, int kw, int stride, int pad, int from, int to,
      float[] x, int xOff, float[] wt, int wOff, float[] y, int yOff, long workspace);

  /** Depthwise dx += input gradient, planes [from, to). */
  static native void depthwiseBackwardData(
      int isa, int channels, int h, int w, int kh, int kw, int stride, int pad, int from, int to,
      float[] dy, int dyOff, float[] wt, int wOff, float[] dx, int dxOff, long workspace);

  /** Depthwise dw += weight gradient over {@code images} images, channels [from, to). */
  static native void depthwiseBackwardWeights(
      int isa, int channels, int h, int w, int kh, int kw, int stride, int pad, int images, int from, int to,
      float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff, long workspace);

  static native long pointwiseBackwardDataWorkspace(int isa, int cin, int cout, int pixels);

  /** Workspace of {@link #convBackwardWeights} calls of up to {@code images} images. */
  static native long convBackwardWeightsWorkspace(
      int cin, int h, int w, int cout, int kh, int kw, int stride, int pad, int images);

  /**
   * 1x1 stride-1 unpadded convolution: dx += W^T * dy for {@code images} consecutive images
   * ({@code cin x pixels} and {@code cout x pixels} each), W the {@code cout x cin} prefix.
   */
  static native void pointwiseBackwardData(
      int isa, int cin, int cout, int pixels, int images, float[] dy, int dyOff, float[] wt, int wOff, int ldw,
      float[] dx, int dxOff, long workspace);

  /** Dense convolution dw += weight gradient over {@code images} images, output channels [o0, o1). */
  static native void convBackwardWeights(
      int isa, int cin, int h, int w, int cout, int kh, int kw, int stride, int pad, int images, int o0, int o1,
      float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff, int ldw, long workspace);
}
