package org.slimj.nativekernels;

import org.slimj.engine.kernels.ConvShape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.kernels.Parallel;
import org.slimj.engine.kernels.VectorKernels;

/**
 * The JNI backend: C kernels for the calls where native code pays for its ~0.1 µs of JNI and
 * array pinning per call, the {@link VectorKernels} for everything else.
 *
 * <ul>
 *   <li>native: {@link #sgemm} (packed, register-blocked: 12x32 tiles on AVX-512, 6x16 on AVX2,
 *       8x12 on NEON), {@link #conv2dForward} (that GEMM on an implicit im2col, the weights packed
 *       once per call), backward data of 1x1 convolutions (the same GEMM with W^T), the weight
 *       gradient of dense convolutions (4x6 tiles of long dot products along pixels, AVX-512
 *       only), the depthwise forward and both depthwise backward passes (phase-split planes, every
 *       tap a contiguous run);
 *   <li>Vector API: backward data of non-1x1 dense convolutions, batch norm, element-wise kernels, reductions, and
 *       products of fewer than {@link #MIN_NATIVE_MACS} multiply-adds, convolutions
 *       with fewer than {@link #MIN_CONV_PIXELS_PER_CALL} output pixels per call, strided
 *       depthwise convolutions (each measured slower in C, see the constants).
 * </ul>
 *
 * <p>Work is split in Java over the given {@link Parallel} (images, planes, channels, or column /
 * row blocks of C); each chunk makes single-threaded native calls (a few images, planes or
 * channels each, so arrays stay pinned briefly) with its own per-thread workspace, so there is one
 * pool and native code never allocates. Which calls go to C depends on the shapes only; every
 * element of C is summed in the same order however the work is cut, so results do not depend on
 * the thread count. Offsets and sizes are checked here before any
 * native call (the C code trusts them): a bad call throws instead of corrupting the heap.
 * Instances are immutable and safe to call from several threads at once.
 */
public final class NativeKernels implements Kernels {
  /**
   * Products with fewer multiply-adds go to the Vector API. Measured single-threaded on AVX-512
   * (NativeThroughputProbe --small): native 0.64x the Vector API at 32^3, 0.90x at 128^3, 0.96x at
   * 384^3, 1.08x at 512^3, because packing A costs what the Vector API saves by reading A in place.
   */
  static final long MIN_NATIVE_MACS = 1L << 26;

  /**
   * Convolutions with fewer output pixels per native call (up to {@link #MAX_IMAGES_PER_CALL}
   * images times the pixels of one) go to the Vector API: each call packs the weights once, which
   * fewer pixels do not amortize (measured: 0.77x for one 8x8 image, 0.9x for two, 1.0x at 256
   * pixels, 1.1-1.2x from 1024).
   */
  static final long MIN_CONV_PIXELS_PER_CALL = 512;

  /** Below this many multiply-adds a product stays on the calling thread. */
  static final long PARALLEL_MIN_MACS = 1L << 20;

  /**
   * Most images (convolution), planes (depthwise) or channels (depthwise weights) per native call:
   * a chunk is cut into calls of at most this many so each critical section (during which the
   * arrays stay pinned) stays around a millisecond or less.
   */
  static final int MAX_IMAGES_PER_CALL = 16;

  /** See {@link #MAX_IMAGES_PER_CALL}. */
  static final int MAX_PLANES_PER_CALL = 256;

  /** See {@link #MAX_IMAGES_PER_CALL}. */
  static final int MAX_CHANNELS_PER_CALL = 16;

  /** Output channels per dot tile of the native weight gradient (SLIMJ_DOT_MR). */
  private static final int DOT_ROWS = 4;

  /**
   * Most pixels (images x pixels per image) a native 1x1 weight-gradient call sums before reducing
   * its vector lanes (measured: 4096 beats 1024 by about 15% at 32x32).
   */
  static final int DOT_FLOATS_PER_CALL = 4096;

  /** See {@link #dotStreamsFromL2}. */
  private static final int DOT_L2_CIN = 32;

  /** See {@link #dotStreamsFromL2}. */
  private static final int DOT_WIDE_COUT = 384;

  /**
   * 1x1 backward data with fewer input channels stays on the Vector API: measured native / Vector
   * API 0.41-0.92 for cin 4-16 (16->96 at 32x32 and 8x8, 4->24, 6->36), 1.24 for 24->144 at 16x16.
   */
  private static final int MIN_BACKWARD_DATA_CIN = 24;

  /** 1x1 backward data with fewer output channels stays on the Vector API (24->6 at 32x32: 0.77). */
  private static final int MIN_BACKWARD_DATA_COUT = 8;

  /** Floats of input rows (cin x pixels) one native 1x1 weight-gradient call reads: half an L2. */
  static final long DOT_CALL_FLOATS = 1L << 17;

  /** Multiply-adds per chunk below which a loop stays on the calling thread. */
  /** Largest stride-1 "same" depthwise plane left to the Vector API (see {@link #nativeDepthwise}). */
  private static final int SMALL_DEPTHWISE_PLANE = 64;

  private static final long MIN_CHUNK_WORK = 1L << 16;

  private final Parallel parallel;
  private final VectorKernels vector;
  private final int isa;
  private final int tileRows;
  private final int tileCols;
  private final boolean allNative;
  private final ThreadLocal<NativeWorkspace> workspaces = ThreadLocal.withInitial(NativeWorkspace::new);

  /**
   * A backend that splits work over {@code parallel} (which it does not close).
   *
   * @throws IllegalStateException if the native library is not available here, with the reason
   */
  public NativeKernels(Parallel parallel) {
    this(parallel, loadedIsa(), false);
  }

  /**
   * For tests and measurements: a given instruction set; {@code allNative} sends every sgemm,
   * convolution forward and depthwise call to C, whatever its size or stride, instead of only
   * those where C was measured faster.
   */
  NativeKernels(Parallel parallel, int isa, boolean allNative) {
    if ((NativeBridge.supportedIsas() & (1 << isa)) == 0) {
      throw new IllegalStateException(NativeLoader.isaName(isa) + " is not supported by this CPU or library");
    }
    this.parallel = parallel;
    this.vector = new VectorKernels(parallel);
    this.isa = isa;
    this.tileRows = NativeBridge.tileRows(isa);
    this.tileCols = NativeBridge.tileCols(isa);
    this.allNative = allNative;
  }

  private static int loadedIsa() {
    NativeLoader.Status s = NativeLoader.status();
    if (!s.available()) {
      throw new IllegalStateException("native kernels unavailable: " + s.reason());
    }
    return s.isa();
  }

  /**
   * Whether {@code auto} should take these kernels over the Vector API: only with AVX-512, where
   * they were measured faster for the calls they take (and equal elsewhere, since the rest is the
   * Vector API). AVX2 and NEON kernels were not measured against a Vector API of their own width.
   */
  static boolean preferredByAuto(int isa) {
    return isa == NativeBridge.ISA_AVX512;
  }

  /** The instruction set in use, e.g. {@code AVX-512F}. */
  public String instructionSet() {
    return NativeLoader.isaName(isa);
  }

  @Override
  public String name() {
    return "native";
  }

  @Override
  public int threads() {
    return parallel.threads();
  }

  // ------------------------------------------------------------------ argument checks

  /** Fails unless {@code rows x cols} with rows {@code ld} apart from {@code off} lies inside {@code a}. */
  static void checkMatrix(String name, float[] a, int off, int rows, int cols, int ld) {
    if (rows < 0 || cols < 0 || ld < cols) {
      throw new IllegalArgumentException(
          name + ": expected rows, cols >= 0 and leading dimension >= cols; found " + rows + "x" + cols + ", ld " + ld);
    }
    if (rows == 0 || cols == 0) {
      return;
    }
    long end = off + (long) (rows - 1) * ld + cols;
    if (off < 0 || end > a.length) {
      throw new IndexOutOfBoundsException(name + ": " + rows + "x" + cols + " with ld " + ld + " from offset " + off
          + " needs " + end + " floats, the array has " + a.length);
    }
  }

  /** Fails unless {@code [off, off + len)} lies inside {@code a}. */
  static void checkRange(String name, float[] a, int off, long len) {
    if (off < 0 || off + len > a.length) {
      throw new IndexOutOfBoundsException(
          name + ": " + len + " floats from offset " + off + " do not fit an array of " + a.length);
    }
  }

  private long workspace(long floats) {
    return workspaces.get().address(floats);
  }

  // ------------------------------------------------------------------ sgemm

  @Override
  public void sgemm(
      boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    if (m < 0 || n < 0 || k < 0) {
      throw new IllegalArgumentException("sgemm: negative size m=" + m + " n=" + n + " k=" + k);
    }
    checkMatrix("sgemm A", a, aOff, transA ? k : m, transA ? m : k, lda);
    checkMatrix("sgemm B", b, bOff, transB ? n : k, transB ? k : n, ldb);
    checkMatrix("sgemm C", c, cOff, m, n, ldc);
    if (m == 0 || n == 0) {
      return;
    }
    long macs = (long) m * n * k;
    if (!allNative && macs < MIN_NATIVE_MACS) {
      vector.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    if (parallel.threads() == 1 || macs < PARALLEL_MIN_MACS) {
      gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    int colPanels = (n + tileCols - 1) / tileCols;
    int rowPanels = (m + tileRows - 1) / tileRows;
    int t = parallel.threads();
    boolean byColumns = colPanels >= t ? (m <= n || rowPanels < t) : colPanels >= rowPanels;
    if (byColumns) {
      parallel.forRange(colPanels, 1, (chunk, from, to) -> {
        int j0 = from * tileCols;
        int nc = Math.min(n, to * tileCols) - j0;
        gemm(transA, transB, m, nc, k, alpha, a, aOff, lda, b, bOff + (transB ? j0 * ldb : j0), ldb,
            beta, c, cOff + j0, ldc);
      });
    } else {
      parallel.forRange(rowPanels, 1, (chunk, from, to) -> {
        int i0 = from * tileRows;
        int mc = Math.min(m, to * tileRows) - i0;
        gemm(transA, transB, mc, n, k, alpha, a, aOff + (transA ? i0 : i0 * lda), lda, b, bOff, ldb,
            beta, c, cOff + i0 * ldc, ldc);
      });
    }
  }

  /** One single-threaded native product. */
  private void gemm(
      boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    long ws = workspace(NativeBridge.sgemmWorkspace(isa, m, n, k));
    NativeBridge.sgemm(isa, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, ws);
  }

  // ------------------------------------------------------------------ dense convolution

  @Override
  public void conv2dForward(ConvShape s, float[] x, int xOff, float[] w, int wOff, int ldw, float[] y, int yOff) {
    int depth = s.cin() * s.kernelArea();
    int pixels = s.hout() * s.wout();
    checkMatrix("conv2dForward weights", w, wOff, s.cout(), depth, ldw);
    checkRange("conv2dForward x", x, xOff, (long) s.n() * s.inPerImage());
    checkRange("conv2dForward y", y, yOff, (long) s.n() * s.outPerImage());
    // the routing ignores the thread count, so a given thread count never changes which code runs
    long pixelsPerCall = (long) Math.min(MAX_IMAGES_PER_CALL, s.n()) * pixels;
    if (!allNative && pixelsPerCall < MIN_CONV_PIXELS_PER_CALL) {
      vector.conv2dForward(s, x, xOff, w, wOff, ldw, y, yOff);
      return;
    }
    long floats = NativeBridge.convForwardWorkspace(
        isa, s.cin(), s.h(), s.w(), s.cout(), s.kh(), s.kw(), s.stride(), s.pad());
    if (s.n() >= parallel.threads()) {
      // images over the pool; each call packs the weights once for all its images
      parallel.forRange(s.n(), 1, (chunk, from, to) -> {
        for (int i = from; i < to; i += MAX_IMAGES_PER_CALL) {
          int images = Math.min(MAX_IMAGES_PER_CALL, to - i);
          convImages(s, i, images, 0, pixels, x, xOff, w, wOff, ldw, y, yOff, floats);
        }
      });
      return;
    }
    // fewer images than threads (e.g. batch-1 inference): pixel columns of each image over the pool
    int panels = (pixels + tileCols - 1) / tileCols;
    long perPanel = (long) s.cout() * depth * tileCols;
    int minPanels = (int) Math.max(1, Math.min(panels, MIN_CHUNK_WORK * 4 / Math.max(1, perPanel)));
    for (int i = 0; i < s.n(); i++) {
      final int image = i;
      parallel.forRange(panels, minPanels, (chunk, from, to) -> convImages(s, image, 1, from * tileCols,
          Math.min(pixels, to * tileCols), x, xOff, w, wOff, ldw, y, yOff, floats));
    }
  }

  private void convImages(
      ConvShape s, int first, int images, int p0, int p1, float[] x, int xOff, float[] w, int wOff, int ldw,
      float[] y, int yOff, long floats) {
    NativeBridge.convForward(isa, s.cin(), s.h(), s.w(), s.cout(), s.kh(), s.kw(), s.stride(), s.pad(),
        images, p0, p1, x, xOff + first * s.inPerImage(), w, wOff, ldw, y, yOff + first * s.outPerImage(),
        workspace(floats));
  }

  /** Whether the input image is its own im2col matrix (1x1, stride 1, no padding). */
  private static boolean isPointwise(ConvShape s) {
    return s.kh() == 1 && s.kw() == 1 && s.stride() == 1 && s.pad() == 0;
  }

  /**
   * Backward data of a 1x1 convolution goes to C ({@code dx_i += W^T dy_i}: W^T packed once per
   * call, dy copied into panels row by row), split over images; any other geometry stays on the
   * Vector API, and so do products with few rows of dx ({@link #MIN_BACKWARD_DATA_CIN}: the 12-row
   * tiles would be mostly empty) or a short depth ({@link #MIN_BACKWARD_DATA_COUT}).
   */
  @Override
  public void conv2dBackwardData(
      ConvShape s, float[] dy, int dyOff, float[] w, int wOff, int ldw, float[] dx, int dxOff) {
    int pixels = s.hout() * s.wout();
    checkMatrix("conv2dBackwardData weights", w, wOff, s.cout(), s.cin() * s.kernelArea(), ldw);
    checkRange("conv2dBackwardData dy", dy, dyOff, (long) s.n() * s.outPerImage());
    checkRange("conv2dBackwardData dx", dx, dxOff, (long) s.n() * s.inPerImage());
    long pixelsPerCall = (long) Math.min(MAX_IMAGES_PER_CALL, s.n()) * pixels;
    boolean narrow = s.cin() < MIN_BACKWARD_DATA_CIN || s.cout() < MIN_BACKWARD_DATA_COUT;
    if (!isPointwise(s) || (!allNative && (pixelsPerCall < MIN_CONV_PIXELS_PER_CALL || narrow))) {
      vector.conv2dBackwardData(s, dy, dyOff, w, wOff, ldw, dx, dxOff);
      return;
    }
    long floats = NativeBridge.pointwiseBackwardDataWorkspace(isa, s.cin(), s.cout(), pixels);
    long perImage = (long) s.cin() * s.cout() * pixels;
    int minImages = (int) Math.max(1, Math.min(s.n(), MIN_CHUNK_WORK * 4 / Math.max(1, perImage)));
    parallel.forRange(s.n(), minImages, (chunk, from, to) -> {
      for (int i = from; i < to; i += MAX_IMAGES_PER_CALL) {
        int images = Math.min(MAX_IMAGES_PER_CALL, to - i);
        NativeBridge.pointwiseBackwardData(isa, s.cin(), s.cout(), pixels, images, dy, dyOff + i * s.outPerImage(),
            w, wOff, ldw, dx, dxOff + i * s.inPerImage(), workspace(floats));
      }
    });
  }

  /**
   * Weight gradient of a dense convolution in C with the AVX-512 kernels (elsewhere only with
   * {@code allNative}): long dot products of output-gradient rows with im2col rows, along pixels,
   * 4 x 6 at a time. The pool splits the output channels (blocks of 4), so each thread owns its
   * rows of dW: no partial buffers, no serial reduction, and the same bits for every thread count.
   * Calls take the images in fixed groups from image 0 (1x1: up to {@link #DOT_FLOATS_PER_CALL}
   * pixels, summed in one run; otherwise {@link #MAX_IMAGES_PER_CALL}).
   */
  @Override
  public void conv2dBackwardWeights(
      ConvShape s, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff, int ldw) {
    int depth = s.cin() * s.kernelArea();
    int pixels = s.hout() * s.wout();
    checkMatrix("conv2dBackwardWeights dw", dw, dwOff, s.cout(), depth, ldw);
    checkRange("conv2dBackwardWeights x", x, xOff, (long) s.n() * s.inPerImage());
    checkRange("conv2dBackwardWeights dy", dy, dyOff, (long) s.n() * s.outPerImage());
    if (!allNative && (isa != NativeBridge.ISA_AVX512 || dotStreamsFromL2(s))) {
      vector.conv2dBackwardWeights(s, x, xOff, dy, dyOff, dw, dwOff, ldw);
      return;
    }
    int perCall = isPointwise(s) ? pointwiseImagesPerCall(depth, pixels) : MAX_IMAGES_PER_CALL;
    long floats = NativeBridge.convBackwardWeightsWorkspace(
        s.cin(), s.h(), s.w(), s.cout(), s.kh(), s.kw(), s.stride(), s.pad(), Math.min(perCall, s.n()));
    int blocks = (s.cout() + DOT_ROWS - 1) / DOT_ROWS;
    long perBlock = (long) DOT_ROWS * depth * pixels * s.n();
    int minBlocks = (int) Math.max(1, Math.min(blocks, MIN_CHUNK_WORK * 4 / Math.max(1, perBlock)));
    parallel.forRange(blocks, minBlocks, (chunk, from, to) -> {
      int o0 = from * DOT_ROWS;
      int o1 = Math.min(s.cout(), to * DOT_ROWS);
      for (int i = 0; i < s.n(); i += perCall) {
        int images = Math.min(perCall, s.n() - i);
        NativeBridge.convBackwardWeights(isa, s.cin(), s.h(), s.w(), s.cout(), s.kh(), s.kw(), s.stride(), s.pad(),
            images, o0, o1, x, xOff + i * s.inPerImage(), dy, dyOff + i * s.outPerImage(), dw, dwOff, ldw,
            workspace(floats));
      }
    });
  }

  /**
   * Whether the dot tiles of a 1x1 weight gradient would stream the input rows of a call (cin x
   * up to 4096 floats) from L2 for every four output channels while the Vector API's GEMM has
   * enough rows to run at full speed. Measured (NativeThroughputProbe --layers and --mbv2, CPU
   * time, 1 thread), native / Vector API: 32->192 at 32x32 0.72-0.90, 64->384 at 8x8 0.74, 96->576
   * at 8x8 0.82-1.04; but 48->288 at 8x8 1.00-1.40, 16->96 at 32x32 1.20-1.46, 384->96 at 8x8 1.13,
   * 160->960 at 4x4 1.63, and 2-5x for the narrow layers of width 0.25.
   */
  private static boolean dotStreamsFromL2(ConvShape s) {
    long pixels = (long) s.hout() * s.wout();
    return isPointwise(s)
        && ((pixels >= DOT_FLOATS_PER_CALL / 4 && s.cin() >= DOT_L2_CIN)
            || (pixels >= 64 && s.cin() >= 2 * DOT_L2_CIN && s.cout() >= DOT_WIDE_COUT));
  }

  /** Images per native 1x1 weight-gradient call: long rows (fewer lane reductions), cin rows in L2. */
  private static int pointwiseImagesPerCall(int cin, int pixels) {
    long run = Math.min(DOT_FLOATS_PER_CALL, DOT_CALL_FLOATS / Math.max(1, cin));
    return (int) Math.max(1, Math.min(2 * MAX_IMAGES_PER_CALL, run / Math.max(1, pixels)));
  }

  // ------------------------------------------------------------------ depthwise convolution

  /** Fails unless {@code s} is depthwise; returns its input and output sizes (all images). */
  private static long[] depthwiseSizes(String what, ConvShape s, float[] w, int wOff) {
    if (s.cin() != s.cout()) {
      throw new IllegalArgumentException(what + ": depthwise needs cin == cout, found " + s);
    }
    checkRange(what + " weights", w, wOff, (long) s.cout() * s.kernelArea());
    return new long[] {(long) s.n() * s.inPerImage(), (long) s.n() * s.outPerImage()};
  }

  /**
   * Whether a depthwise call goes to C: stride 1 (measured 1.1-2.3x the Vector API's phase-plane
   * path); strided ones spend their time splitting small planes into phases and measured 0.4-0.7x,
   * so they stay in Java. So do stride-1 "same" convolutions of planes up to 8x8: the Vector API
   * computes those without copies and measured 1.25-1.5x C (forward, backward data; weights even).
   */
  private boolean nativeDepthwise(ConvShape s) {
    boolean same = s.kh() == 2 * s.pad() + 1 && s.kw() == 2 * s.pad() + 1;
    boolean smallSame = same && s.h() * s.w() <= SMALL_DEPTHWISE_PLANE;
    return (s.stride() == 1 && !smallSame) || allNative;
  }

  private int minPlanes(ConvShape s) {
    return (int) Math.max(1, MIN_CHUNK_WORK / Math.max(1, (long) s.hout() * s.wout() * s.kernelArea()));
  }

  private long depthwiseWorkspace(ConvShape s) {
    return NativeBridge.depthwiseWorkspace(s.h(), s.w(), s.kh(), s.kw(), s.stride(), s.pad());
  }

  @Override
  public void depthwiseForward(ConvShape s, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff) {
    long[] size = depthwiseSizes("depthwiseForward", s, w, wOff);
    checkRange("depthwiseForward x", x, xOff, size[0]);
    checkRange("depthwiseForward y", y, yOff, size[1]);
    if (!nativeDepthwise(s)) {
      vector.depthwiseForward(s, x, xOff, w, wOff, y, yOff);
      return;
    }
    long floats = depthwiseWorkspace(s);
    parallel.forRange(s.n() * s.cout(), minPlanes(s), (chunk, from, to) -> {
      for (int p = from; p < to; p += MAX_PLANES_PER_CALL) {
        NativeBridge.depthwiseForward(isa, s.cout(), s.h(), s.w(), s.kh(), s.kw(), s.stride(), s.pad(), p,
            Math.min(to, p + MAX_PLANES_PER_CALL), x, xOff, w, wOff, y, yOff, workspace(floats));
      }
    });
  }

  @Override
  public void depthwiseBackwardData(ConvShape s, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
    long[] size = depthwiseSizes("depthwiseBackwardData", s, w, wOff);
    checkRange("depthwiseBackwardData dy", dy, dyOff, size[1]);
    checkRange("depthwiseBackwardData dx", dx, dxOff, size[0]);
    if (!nativeDepthwise(s)) {
      vector.depthwiseBackwardData(s, dy, dyOff, w, wOff, dx, dxOff);
      return;
    }
    long floats = depthwiseWorkspace(s);
    parallel.forRange(s.n() * s.cout(), minPlanes(s), (chunk, from, to) -> {
      for (int p = from; p < to; p += MAX_PLANES_PER_CALL) {
        NativeBridge.depthwiseBackwardData(isa, s.cout(), s.h(), s.w(), s.kh(), s.kw(), s.stride(), s.pad(), p,
            Math.min(to, p + MAX_PLANES_PER_CALL), dy, dyOff, w, wOff, dx, dxOff, workspace(floats));
      }
    });
  }

  @Override
  public void depthwiseBackwardWeights(
      ConvShape s, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff) {
    long[] size = depthwiseSizes("depthwiseBackwardWeights", s, dw, dwOff);
    checkRange("depthwiseBackwardWeights x", x, xOff, size[0]);
    checkRange("depthwiseBackwardWeights dy", dy, dyOff, size[1]);
    if (!nativeDepthwise(s)) {
      vector.depthwiseBackwardWeights(s, x, xOff, dy, dyOff, dw, dwOff);
      return;
    }
    long floats = depthwiseWorkspace(s);
    int minChannels = Math.max(1, minPlanes(s) / s.n());
    parallel.forRange(s.cout(), minChannels, (chunk, from, to) -> {
      for (int c = from; c < to; c += MAX_CHANNELS_PER_CALL) {
        NativeBridge.depthwiseBackwardWeights(isa, s.cout(), s.h(), s.w(), s.kh(), s.kw(), s.stride(), s.pad(),
            s.n(), c, Math.min(to, c + MAX_CHANNELS_PER_CALL), x, xOff, dy, dyOff, dw, dwOff, workspace(floats));
      }
    });
  }

  // ------------------------------------------------------------------ the rest: Vector API

  @Override
  public void batchNormStats(int n, int c, int hw, float[] x, int xOff, float[] mean, float[] var) {
    vector.batchNormStats(n, c, hw, x, xOff, mean, var);
  }

  @Override
  public void batchNormApply(
      int n, int c, int hw, float[] x, int xOff, float[] scale, float[] shift, float[] y, int yOff) {
    vector.batchNormApply(n, c, hw, x, xOff, scale, shift, y, yOff);
  }

  @Override
  public void batchNormBackward(
      int n, int c, int hw, float[] x, int xOff, float[] dy, int dyOff,
      float[] mean, float[] invStd, float[] gamma, int gammaOff,
      float[] dx, int dxOff, float[] dGamma, int dGammaOff, float[] dBeta, int dBetaOff) {
    vector.batchNormBackward(n, c, hw, x, xOff, dy, dyOff, mean, invStd, gamma, gammaOff,
        dx, dxOff, dGamma, dGammaOff, dBeta, dBetaOff);
  }

  @Override
  public void relu(int n, float[] x, int xOff, float[] y, int yOff) {
    vector.relu(n, x, xOff, y, yOff);
  }

  @Override
  public void reluBackward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    vector.reluBackward(n, x, xOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void relu6(int n, float[] x, int xOff, float[] y, int yOff) {
    vector.relu6(n, x, xOff, y, yOff);
  }

  @Override
  public void relu6Backward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    vector.relu6Backward(n, x, xOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void add(int n, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff) {
    vector.add(n, a, aOff, b, bOff, y, yOff);
  }

  @Override
  public void multiply(int n, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff) {
    vector.multiply(n, a, aOff, b, bOff, y, yOff);
  }

  @Override
  public void multiplyAdd(int n, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff) {
    vector.multiplyAdd(n, a, aOff, b, bOff, y, yOff);
  }

  @Override
  public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    vector.axpy(n, alpha, x, xOff, y, yOff);
  }

  @Override
  public float sum(int n, float[] x, int xOff) {
    return vector.sum(n, x, xOff);
  }

  @Override
  public float dot(int n, float[] a, int aOff, float[] b, int bOff) {
    return vector.dot(n, a, aOff, b, bOff);
  }

  @Override
  public void globalAvgPool(int rows, int hw, float[] x, int xOff, float[] y, int yOff) {
    vector.globalAvgPool(rows, hw, x, xOff, y, yOff);
  }

  @Override
  public void globalAvgPoolBackward(int rows, int hw, float[] dy, int dyOff, float[] dx, int dxOff) {
    vector.globalAvgPoolBackward(rows, hw, dy, dyOff, dx, dxOff);
  }

  @Override
  public void addRowVector(int rows, int cols, float[] v, int vOff, float[] y, int yOff) {
    vector.addRowVector(rows, cols, v, vOff, y, yOff);
  }

  @Override
  public void sumRows(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
    vector.sumRows(rows, cols, x, xOff, out, outOff);
  }

  @Override
  public void logSoftmaxRows(int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
    vector.logSoftmaxRows(rows, cols, x, xOff, y, yOff);
  }
}
