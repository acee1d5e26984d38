package org.slimj.engine.kernels;

import static org.slimj.engine.kernels.FloatChecks.assertClose;
import static org.slimj.engine.kernels.FloatChecks.assertUntouchedOutside;
import static org.slimj.engine.kernels.FloatChecks.block;
import static org.slimj.engine.kernels.FloatChecks.random;
import static org.slimj.engine.kernels.FloatChecks.range;
import static org.slimj.engine.kernels.FloatChecks.tol;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The checks every {@link Kernels} backend must pass against {@link ScalarKernels}, shared by the
 * Vector API tests and the native-kernel tests: seeded shapes (1, odd, prime, not multiples of the
 * vector length), offsets, leading dimensions wider than the active sizes, sliced weight
 * prefixes, accumulation into pre-filled gradients, and nothing written outside the output. Each
 * failure message names the case, its seed and {@code label} (the backend and thread count).
 */
public final class KernelConformance {
  private static final Kernels REF = new ScalarKernels();

  /** Matrix sizes of the odd-shape sgemm sweep. */
  public static final List<Integer> SIZES = List.of(1, 3, 7, 8, 13, 17, 31, 33, 64, 67);

  /** Inner dimensions of the odd-shape sgemm sweep. */
  public static final List<Integer> DEPTHS = List.of(1, 8, 17, 67);

  private static final float[] ALPHAS = {1f, -0.7f, 2.5f};
  private static final float[] BETAS = {0f, 1f, 0.5f};

  private KernelConformance() {}

  /** One sgemm call: shape, scalars, and a seed for offsets, leading dimensions and data. */
  public record Gemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta, long seed) {
    /** Compares {@code kernels} with the reference on this call (NaN in C when beta is 0). */
    public void check(Kernels kernels, String label) {
      Random r = new Random(seed);
      int lda = (ta ? m : k) + r.nextInt(3);
      int ldb = (tb ? k : n) + r.nextInt(3);
      int ldc = n + r.nextInt(3);
      int aOff = r.nextInt(4);
      int bOff = r.nextInt(4);
      int cOff = r.nextInt(4);
      float[] a = random(r, aOff + (ta ? k : m) * lda + 2);
      float[] b = random(r, bOff + (tb ? n : k) * ldb + 2);
      float[] c = random(r, cOff + m * ldc + 2);
      if (beta == 0f) {
        for (int i = 0; i < m; i++) {
          Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, Float.NaN);
        }
      }
      float[] expected = c.clone();
      REF.sgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, expected, cOff, ldc);
      float[] actual = c.clone();
      kernels.sgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, actual, cOff, ldc);
      String what = this + " " + label + " lda=" + lda + " ldb=" + ldb + " ldc=" + ldc;
      double t = tol(k) * (1 + Math.abs(alpha));
      assertClose(expected, actual, t, t, what);
      assertUntouchedOutside(c, actual, block(cOff, m, n, ldc), what);
    }
  }

  /** The sgemm sweep: all four transpose combinations over {@link #SIZES}² × {@link #DEPTHS}. */
  public static void sgemmOddShapes(Kernels kernels, String label) {
    int i = 0;
    for (int t = 0; t < 4; t++) {
      for (int m : SIZES) {
        for (int n : SIZES) {
          for (int depth : DEPTHS) {
            new Gemm(t >= 2, t % 2 == 1, m, n, depth, ALPHAS[i % 3], BETAS[(i / 3) % 3], 1_000L + i).check(kernels, label);
            i++;
          }
        }
      }
    }
  }

  /** Large sgemm shapes (parallel splits, several k and column blocks), all transposes. */
  public static void sgemmLargeShapes(Kernels kernels, String label, int[][] shapes) {
    int i = 0;
    for (int[] s : shapes) {
      for (int t = 0; t < 4; t++) {
        new Gemm(t >= 2, t % 2 == 1, s[0], s[1], s[2], ALPHAS[i % 3], BETAS[i % 3], 5_000L + i).check(kernels, label);
        i++;
      }
    }
  }

  /** A dense convolution with weights allocated at (coutMax, cinMax) and used at (cout, cin). */
  public record Conv(int n, int cin, int cinMax, int h, int w, int cout, int coutMax, int kh, int kw, int stride, int pad) {
    /** The geometry of the call. */
    public ConvShape shape() {
      return new ConvShape(n, cin, h, w, cout, kh, kw, stride, pad);
    }

    /** Leading dimension of the weight rows (allocated input channels × kernel area). */
    public int ldw() {
      return cinMax * kh * kw;
    }
  }

  /** Dense convolutions every backend is checked on. */
  public static final List<Conv> CONVS = List.of(
      new Conv(2, 3, 5, 7, 7, 4, 6, 3, 3, 1, 1),
      new Conv(3, 5, 5, 8, 9, 7, 9, 1, 1, 1, 0),
      new Conv(1, 4, 6, 9, 8, 5, 5, 3, 3, 2, 1),
      new Conv(5, 2, 3, 11, 10, 3, 4, 5, 5, 1, 2),
      new Conv(4, 3, 3, 10, 11, 6, 8, 5, 5, 2, 2),
      new Conv(2, 6, 8, 6, 5, 5, 7, 3, 1, 1, 1),
      new Conv(3, 4, 4, 7, 7, 5, 6, 1, 1, 2, 0),
      new Conv(2, 3, 5, 5, 5, 4, 4, 3, 3, 1, 0),
      new Conv(3, 40, 48, 6, 7, 13, 16, 3, 3, 1, 1),
      new Conv(2, 20, 24, 9, 9, 130, 140, 1, 1, 1, 0),
      new Conv(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0),
      new Conv(2, 3, 3, 4, 4, 2, 2, 5, 5, 1, 2),
      new Conv(6, 8, 8, 12, 12, 16, 16, 3, 3, 2, 1),
      new Conv(1, 64, 64, 16, 16, 72, 80, 1, 1, 1, 0),
      new Conv(2, 5, 5, 13, 3, 3, 3, 3, 3, 2, 0),
      new Conv(1, 7, 9, 10, 10, 11, 12, 3, 3, 1, 1),
      new Conv(3, 6, 6, 37, 37, 5, 5, 1, 1, 2, 0),
      new Conv(2, 4, 5, 9, 40, 3, 3, 3, 1, 2, 1));

  /** conv2dForward against the reference: overwrites the output and nothing else. */
  public static void checkConvForward(Kernels k, Conv c, long seed, String label) {
    ConvShape s = c.shape();
    Random r = new Random(seed);
    int xOff = r.nextInt(5);
    int wOff = r.nextInt(5);
    int yOff = r.nextInt(5);
    float[] x = random(r, xOff + s.n() * s.inPerImage() + 3);
    float[] w = random(r, wOff + c.coutMax() * c.ldw() + 3);
    float[] y = random(r, yOff + s.n() * s.outPerImage() + 3);
    float[] expected = y.clone();
    REF.conv2dForward(s, x, xOff, w, wOff, c.ldw(), expected, yOff);
    float[] actual = y.clone();
    k.conv2dForward(s, x, xOff, w, wOff, c.ldw(), actual, yOff);
    String what = "conv2dForward seed=" + seed + " " + c + " " + label;
    double t = tol((long) s.cin() * s.kernelArea());
    assertClose(expected, actual, t, t, what);
    assertUntouchedOutside(y, actual, range(yOff, s.n() * s.outPerImage()), what);
  }

  /** conv2dBackwardData must add into a pre-filled dx exactly as the reference does. */
  public static void checkConvBackwardData(Kernels k, Conv c, long seed, String label) {
    ConvShape s = c.shape();
    Random r = new Random(seed);
    int dyOff = r.nextInt(5);
    int wOff = r.nextInt(5);
    int dxOff = r.nextInt(5);
    float[] dy = random(r, dyOff + s.n() * s.outPerImage() + 3);
    float[] w = random(r, wOff + c.coutMax() * c.ldw() + 3);
    float[] dx = random(r, dxOff + s.n() * s.inPerImage() + 3);
    float[] expected = dx.clone();
    REF.conv2dBackwardData(s, dy, dyOff, w, wOff, c.ldw(), expected, dxOff);
    float[] actual = dx.clone();
    k.conv2dBackwardData(s, dy, dyOff, w, wOff, c.ldw(), actual, dxOff);
    String what = "conv2dBackwardData seed=" + seed + " " + c + " " + label;
    double t = tol((long) s.cout() * s.kernelArea());
    assertClose(expected, actual, t, t, what);
    assertUntouchedOutside(dx, actual, range(dxOff, s.n() * s.inPerImage()), what);
  }

  /** conv2dBackwardWeights must add into the active prefix of the weight gradient only. */
  public static void checkConvBackwardWeights(Kernels k, Conv c, long seed, String label) {
    ConvShape s = c.shape();
    Random r = new Random(seed);
    int xOff = r.nextInt(5);
    int dyOff = r.nextInt(5);
    int dwOff = r.nextInt(5);
    float[] x = random(r, xOff + s.n() * s.inPerImage() + 3);
    float[] dy = random(r, dyOff + s.n() * s.outPerImage() + 3);
    float[] dw = random(r, dwOff + c.coutMax() * c.ldw() + 3);
    float[] expected = dw.clone();
    REF.conv2dBackwardWeights(s, x, xOff, dy, dyOff, expected, dwOff, c.ldw());
    float[] actual = dw.clone();
    k.conv2dBackwardWeights(s, x, xOff, dy, dyOff, actual, dwOff, c.ldw());
    String what = "conv2dBackwardWeights seed=" + seed + " " + c + " " + label;
    double t = tol((long) s.n() * s.hout() * s.wout());
    assertClose(expected, actual, t, t, what);
    assertUntouchedOutside(dw, actual, block(dwOff, s.cout(), s.cin() * s.kernelArea(), c.ldw()), what);
  }

  /** A depthwise convolution over the first {@code c} of {@code cMax} channels' weights. */
  public record Depthwise(int n, int c, int cMax, int h, int w, int kh, int kw, int stride, int pad) {
    /** The geometry of the call. */
    public ConvShape shape() {
      return new ConvShape(n, c, h, w, c, kh, kw, stride, pad);
    }
  }

  /** Depthwise convolutions every backend is checked on. */
  public static final List<Depthwise> DEPTHWISE = List.of(
      new Depthwise(2, 3, 4, 7, 7, 3, 3, 1, 1),
      new Depthwise(2, 4, 4, 8, 8, 3, 3, 2, 1),
      new Depthwise(1, 5, 8, 9, 11, 5, 5, 1, 2),
      new Depthwise(3, 2, 3, 10, 9, 5, 5, 2, 2),
      new Depthwise(2, 3, 3, 6, 5, 3, 3, 1, 0),
      new Depthwise(2, 3, 5, 7, 6, 3, 3, 2, 0),
      new Depthwise(1, 1, 1, 1, 1, 1, 1, 1, 0),
      new Depthwise(2, 2, 2, 4, 4, 5, 5, 1, 2),
      new Depthwise(4, 16, 16, 16, 16, 3, 3, 1, 1),
      new Depthwise(2, 24, 32, 17, 17, 3, 3, 2, 1),
      new Depthwise(2, 3, 3, 6, 7, 3, 1, 1, 1),
      new Depthwise(2, 2, 2, 10, 11, 3, 3, 3, 1),
      new Depthwise(3, 5, 5, 33, 35, 3, 3, 1, 1),
      new Depthwise(2, 3, 3, 9, 40, 3, 1, 2, 1),
      new Depthwise(2, 2, 2, 37, 37, 1, 1, 2, 0),
      new Depthwise(3, 2, 2, 90, 95, 3, 3, 1, 1), // planes too big to stack more than one image
      new Depthwise(3, 2, 3, 130, 131, 3, 3, 2, 1),
      new Depthwise(2, 9, 12, 2, 2, 3, 3, 1, 1)); // packed planes: whole channel groups and a partial one

  /** depthwiseForward against the reference (seed 30000 + index in the caller's list). */
  public static void checkDepthwiseForward(Kernels k, Depthwise d, long seed, String label) {
    ConvShape s = d.shape();
    Random r = new Random(seed);
    int xOff = r.nextInt(5);
    int wOff = r.nextInt(5);
    int yOff = r.nextInt(5);
    float[] x = random(r, xOff + s.n() * s.inPerImage() + 3);
    float[] w = random(r, wOff + d.cMax() * s.kernelArea() + 3);
    float[] y = random(r, yOff + s.n() * s.outPerImage() + 3);
    float[] expected = y.clone();
    REF.depthwiseForward(s, x, xOff, w, wOff, expected, yOff);
    float[] actual = y.clone();
    k.depthwiseForward(s, x, xOff, w, wOff, actual, yOff);
    String what = "depthwiseForward seed=" + seed + " " + d + " " + label;
    assertClose(expected, actual, tol(s.kernelArea()), tol(s.kernelArea()), what);
    assertUntouchedOutside(y, actual, range(yOff, s.n() * s.outPerImage()), what);
  }

  /** depthwiseBackwardData must add into a pre-filled dx exactly as the reference does. */
  public static void checkDepthwiseBackwardData(Kernels k, Depthwise d, long seed, String label) {
    ConvShape s = d.shape();
    Random r = new Random(seed);
    int dyOff = r.nextInt(5);
    int wOff = r.nextInt(5);
    int dxOff = r.nextInt(5);
    float[] dy = random(r, dyOff + s.n() * s.outPerImage() + 3);
    float[] w = random(r, wOff + d.cMax() * s.kernelArea() + 3);
    float[] dx = random(r, dxOff + s.n() * s.inPerImage() + 3);
    float[] expected = dx.clone();
    REF.depthwiseBackwardData(s, dy, dyOff, w, wOff, expected, dxOff);
    float[] actual = dx.clone();
    k.depthwiseBackwardData(s, dy, dyOff, w, wOff, actual, dxOff);
    String what = "depthwiseBackwardData seed=" + seed + " " + d + " " + label;
    assertClose(expected, actual, tol(s.kernelArea()), tol(s.kernelArea()), what);
    assertUntouchedOutside(dx, actual, range(dxOff, s.n() * s.inPerImage()), what);
  }

  /** depthwiseBackwardWeights must add into the active channels' weights only. */
  public static void checkDepthwiseBackwardWeights(Kernels k, Depthwise d, long seed, String label) {
    ConvShape s = d.shape();
    Random r = new Random(seed);
    int xOff = r.nextInt(5);
    int dyOff = r.nextInt(5);
    int dwOff = r.nextInt(5);
    float[] x = random(r, xOff + s.n() * s.inPerImage() + 3);
    float[] dy = random(r, dyOff + s.n() * s.outPerImage() + 3);
    float[] dw = random(r, dwOff + d.cMax() * s.kernelArea() + 3);
    float[] expected = dw.clone();
    REF.depthwiseBackwardWeights(s, x, xOff, dy, dyOff, expected, dwOff);
    float[] actual = dw.clone();
    k.depthwiseBackwardWeights(s, x, xOff, dy, dyOff, actual, dwOff);
    String what = "depthwiseBackwardWeights seed=" + seed + " " + d + " " + label;
    double t = tol((long) s.n() * s.hout() * s.wout());
    assertClose(expected, actual, t, t, what);
    assertUntouchedOutside(dw, actual, range(dwOff, d.c() * s.kernelArea()), what);
  }
}
