package org.slimj.engine.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weight gradient of a dense, non-pointwise convolution with a small side ({@code cout} or
 * {@code K = cin*kh*kw}), where a GEMM would have too few columns to keep its micro-kernel busy:
 * {@code dW[o, j] = sum over q of dY'[o, q] * col[j, q]}, reduced along the long pixel dimension
 * q, which is contiguous in both operands, so neither is packed. Each (o, j) keeps {@link #L}
 * partial sums (one per lane) in a per-thread buffer across all images of a chunk; the lanes are
 * summed once at the end. A micro-tile is four rows of dY' by three rows of the virtual im2col
 * matrix, read straight from the phase planes, twelve vector accumulators in registers.
 *
 * <p>dY' rows are laid out {@link #pitch} apart (the pixel count rounded up to whole vectors) and
 * zero past the last pixel; the matching col elements are finite neighbours in the planes (or
 * their zero slack), so whole vectors can be used to the end.
 */
final class ConvWeightsDot {
  private static final VectorSpecies<Float> S = VectorKernels.SPECIES;

  /** Lanes per vector. */
  static final int L = S.length();

  /** Largest {@code cout * K} handled (the per-thread buffer holds {@code L} floats per weight). */
  static final int MAX_WEIGHTS = 1 << 16;

  /** Up to this K, this beats the GEMM (whose other side, K, would fill few columns of a panel). */
  static final int MAX_DEPTH = 32;

  /** Up to this many output channels, this beats the GEMM whatever K. */
  static final int MAX_COUT = 16;

  /** Fewest whole vectors per dY' row: below, loading and storing the accumulators dominates. */
  static final int MIN_ROW_VECTORS = 4;

  private ConvWeightsDot() {}

  /** Whether {@link VectorConv} should use this for the weight gradient of {@code s}. */
  static boolean suits(ConvShape s) {
    int k = s.cin() * s.kernelArea();
    return !VectorConv.isPointwise(s)
        && (k <= MAX_DEPTH || s.cout() <= MAX_COUT)
        && (long) s.cout() * k <= MAX_WEIGHTS
        && pitch(new VirtualIm2col(s).cols()) >= MIN_ROW_VECTORS * L;
  }

  /** Row pitch of dY' for {@code cols} pixels: whole vectors. */
  static int pitch(int cols) {
    return GemmPacking.roundUp(cols, L);
  }

  /**
   * Sums images {@code [from, to)} into {@code out[outOff + o*K + j]} (overwritten), using the
   * scratch of {@code ws}.
   */
  static void chunk(ConvShape s, float[] x, int xOff, float[] dy, int dyOff, int from, int to,
      float[] out, int outOff, Workspace ws) {
    int k = s.cin() * s.kernelArea();
    VirtualIm2col v = new VirtualIm2col(s);
    int ld = pitch(v.cols());
    float[] acc = ws.floats(Workspace.WIDE, s.cout() * k * L);
    Arrays.fill(acc, 0, s.cout() * k * L, 0f);
    float[] planes = ws.floats(Workspace.PLANES, v.planesSize());
    float[] dyp = ws.floats(Workspace.PLANE_OUT, 4 * ld + PhasePlanes.SLACK);
    int[] table = v.rowStarts(ws.ints(Workspace.CONV_ROWS, k));
    for (int i = from; i < to; i++) {
      v.split(x, xOff + i * s.inPerImage(), planes);
      image(v, s.cout(), k, dy, dyOff + i * s.outPerImage(), dyp, ld, planes, table, acc);
    }
    sumLanes(s.cout() * k, acc, out, outOff);
  }

  /**
   * out[outOff + e] = the sum of the lanes of acc[e*L ..] for e < count. A method of its own: inside
   * the large {@link #chunk}, C2 may stop inlining before reaching these vector calls, which then box
   * a vector per element.
   */
  private static void sumLanes(int count, float[] acc, float[] out, int outOff) {
    for (int e = 0; e < count; e++) {
      out[outOff + e] = LaneSum.of(FloatVector.fromArray(S, acc, e * L));
    }
  }

  /**
   * acc += the lane-wise products of one image (output gradient at dy[dyi]), four output channels
   * at a time, whose dY' rows are spread into {@code dyp} just before use, so they stay in L1.
   */
  private static void image(VirtualIm2col v, int cout, int k, float[] dy, int dyi, float[] dyp, int ld,
      float[] planes, int[] table, float[] acc) {
    for (int o = 0; o < cout; o += 4) {
      int o1 = Math.min(o + 1, cout - 1);
      int o2 = Math.min(o + 2, cout - 1);
      int o3 = Math.min(o + 3, cout - 1);
      v.spreadRows(dy, dyi, o, o3 - o + 1, dyp, ld);
      for (int j = 0; j < k; j += 3) {
        int j1 = Math.min(j + 1, k - 1);
        int j2 = Math.min(j + 2, k - 1);
        // rows past an edge repeat the last one: both copies load and store the same sums
        tile(dyp, 0, (o1 - o) * ld, (o2 - o) * ld, (o3 - o) * ld, planes, table[j], table[j1], table[j2], ld,
            acc, (o * k + j) * L, (o * k + j1) * L, (o * k + j2) * L, (o1 - o) * k * L,
            (o2 - o) * k * L, (o3 - o) * k * L);
      }
    }
  }

  /**
   * Twelve lane-wise dot products of dY' rows d0..d3 with col rows c0..c2 over {@code n} floats,
   * added to acc at {@code a0, a1j, a2j} (col rows) plus {@code 0, r1, r2, r3} (dY' rows).
   */
  private static void tile(float[] d, int d0, int d1, int d2, int d3, float[] c, int c0, int c1, int c2,
      int n, float[] acc, int a0, int a1j, int a2j, int r1, int r2, int r3) {
    FloatVector s00 = FloatVector.fromArray(S, acc, a0);
    FloatVector s01 = FloatVector.fromArray(S, acc, a1j);
    FloatVector s02 = FloatVector.fromArray(S, acc, a2j);
    FloatVector s10 = FloatVector.fromArray(S, acc, a0 + r1);
    FloatVector s11 = FloatVector.fromArray(S, acc, a1j + r1);
    FloatVector s12 = FloatVector.fromArray(S, acc, a2j + r1);
    FloatVector s20 = FloatVector.fromArray(S, acc, a0 + r2);
    FloatVector s21 = FloatVector.fromArray(S, acc, a1j + r2);
    FloatVector s22 = FloatVector.fromArray(S, acc, a2j + r2);
    FloatVector s30 = FloatVector.fromArray(S, acc, a0 + r3);
    FloatVector s31 = FloatVector.fromArray(S, acc, a1j + r3);
    FloatVector s32 = FloatVector.fromArray(S, acc, a2j + r3);
    for (int q = 0; q < n; q += L) {
      FloatVector x0 = FloatVector.fromArray(S, c, c0 + q);
      FloatVector x1 = FloatVector.fromArray(S, c, c1 + q);
      FloatVector x2 = FloatVector.fromArray(S, c, c2 + q);
      FloatVector y = FloatVector.fromArray(S, d, d0 + q);
      s00 = y.fma(x0, s00);
      s01 = y.fma(x1, s01);
      s02 = y.fma(x2, s02);
      y = FloatVector.fromArray(S, d, d1 + q);
      s10 = y.fma(x0, s10);
      s11 = y.fma(x1, s11);
      s12 = y.fma(x2, s12);
      y = FloatVector.fromArray(S, d, d2 + q);
      s20 = y.fma(x0, s20);
      s21 = y.fma(x1, s21);
      s22 = y.fma(x2, s22);
      y = FloatVector.fromArray(S, d, d3 + q);
      s30 = y.fma(x0, s30);
      s31 = y.fma(x1, s31);
      s32 = y.fma(x2, s32);
    }
    s00.intoArray(acc, a0);
    s01.intoArray(acc, a1j);
    s02.intoArray(acc, a2j);
    s10.intoArray(acc, a0 + r1);
    s11.intoArray(acc, a1j + r1);
    s12.intoArray(acc, a2j + r1);
    s20.intoArray(acc, a0 + r2);
    s21.intoArray(acc, a1j + r2);
    s22.intoArray(acc, a2j + r2);
    s30.intoArray(acc, a0 + r3);
    s31.intoArray(acc, a1j + r3);
    s32.intoArray(acc, a2j + r3);
  }
}
