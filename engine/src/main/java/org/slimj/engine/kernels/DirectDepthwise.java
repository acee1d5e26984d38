package org.slimj.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stride-1 "same" depthwise convolutions ({@code kh = kw = 2*pad + 1}, so the output plane has the
 * input's shape) computed straight from the unpadded planes, without copies.
 *
 * <p>With flat index {@code q = y*w + x}, tap (ky, kx) reads {@code q + (ky-pad)*w + (kx-pad)}: a
 * constant shift. Lanes whose read falls outside the plane are switched off by a per-(tap, vector)
 * mask on the load, so borders need no padding. Planes smaller than a vector are packed: a vector
 * covers {@code g = L / (h*w)} consecutive channels of one image (contiguous in memory), each lane
 * multiplied by its own channel's weight. Work is split over channel groups; each group runs over
 * the whole batch with its weight vectors and masks built once, and every output is computed the
 * same way in any chunk, so results do not depend on the thread count.
 *
 * <p>Backward data is the same correlation with the kernel turned by 180 degrees (the shifts and
 * masks are symmetric), added into dx. Backward weights is one masked dot product per tap, summed
 * in vector registers over the batch and plane.
 */
final class DirectDepthwise {
  private static final VectorSpecies<Float> S = VectorKernels.SPECIES;
  private static final int L = S.length();
  /** Multiply-adds per chunk below which a loop stays on the calling thread. */
  private static final int MIN_WORK = 1 << 15;

  private final Parallel parallel;
  private final ThreadLocal<Workspace> workspaces;

  DirectDepthwise(Parallel parallel, ThreadLocal<Workspace> workspaces) {
    this.parallel = parallel;
    this.workspaces = workspaces;
  }

  /** Whether this path handles {@code s}. */
  static boolean handles(ConvShape s) {
    return s.stride() == 1 && s.kh() == 2 * s.pad() + 1 && s.kw() == 2 * s.pad() + 1 && s.cin() == s.cout()
        && s.kernelArea() * maskedVectors(s) <= 4096;
  }

  /** Channels packed in one super-plane. */
  private static int group(ConvShape s) {
    return Math.max(1, L / (s.h() * s.w()));
  }

  /** Vectors per super-plane. */
  private static int maskedVectors(ConvShape s) {
    return (group(s) * s.h() * s.w() + L - 1) / L;
  }

  /**
   * Geometry shared by all chunks of one call: {@code ints[t]} is tap t's shift, {@code ints[kk +
   * t*nv + v]} the lanes of vector v that tap t may read, {@code ints[kk + kk*nv + v]} the lanes of
   * vector v inside the super-plane.
   */
  private int[] layout(ConvShape s) {
    int kk = s.kernelArea();
    int nv = maskedVectors(s);
    int[] ints = workspaces.get().ints(Workspace.TAPS, kk + kk * nv + nv);
    int h = s.h();
    int w = s.w();
    int hw = h * w;
    int p = group(s) * hw;
    for (int ky = 0; ky < s.kh(); ky++) {
      for (int kx = 0; kx < s.kw(); kx++) {
        int t = ky * s.kw() + kx;
        int dy = ky - s.pad();
        int dx = kx - s.pad();
        ints[t] = dy * w + dx;
        for (int v = 0; v < nv; v++) {
          int bits = 0;
          for (int j = 0; j < L; j++) {
            int q = v * L + j;
            int r = q % hw;
            int y = r / w + dy;
            int x = r % w + dx;
            if (q < p && y >= 0 && y < h && x >= 0 && x < w) {
              bits |= 1 << j;
            }
          }
          ints[kk + t * nv + v] = bits;
        }
      }
    }
    for (int v = 0; v < nv; v++) {
      int lanes = Math.min(L, p - v * L);
      ints[kk + kk * nv + v] = lanes >= 32 ? -1 : (1 << lanes) - 1;
    }
    return ints;
  }

  /** {@link Kernels#depthwiseForward}. */
  void forward(ConvShape s, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff) {
    correlateAll(s, x, xOff, w, wOff, y, yOff, false);
  }

  /** {@link Kernels#depthwiseBackwardData}. */
  void backwardData(ConvShape s, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
    correlateAll(s, dy, dyOff, w, wOff, dx, dxOff, true);
  }

  private void correlateAll(ConvShape s, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff, boolean back) {
    int[] lay = layout(s);
    int g = group(s);
    int groups = (s.cout() + g - 1) / g;
    int kk = s.kernelArea();
    int nv = maskedVectors(s);
    int minGroups = Math.max(1, MIN_WORK / Math.max(1, s.n() * nv * L * kk));
    parallel.forRange(groups, minGroups, (chunk, from, to) -> {
      float[] wv = workspaces.get().floats(Workspace.TAP_VALUES, kk * L);
      for (int grp = from; grp < to; grp++) {
        int ch0 = grp * g;
        int gg = Math.min(g, s.cout() - ch0);
        weightVectors(s, w, wOff, ch0, gg, back, wv);
        int groupBits = gg == g ? -1 : (1 << (gg * s.h() * s.w())) - 1;
        int base = ch0 * s.h() * s.w();
        int img = s.cin() * s.h() * s.w();
        int i = 0;
        for (; i + 4 <= s.n(); i += 4) {
          for (int v = 0; v < nv; v++) {
            correlate4(s, lay, wv, v, groupBits, x, xOff + base + i * img, y, yOff + base + i * img, back);
          }
        }
        for (; i < s.n(); i++) {
          for (int v = 0; v < nv; v++) {
            correlate1(s, lay, wv, v, groupBits, x, xOff + base + i * img, y, yOff + base + i * img, back);
          }
        }
      }
    });
  }

  /**
   * wv[t*L + j] = the weight of tap t (turned by 180 degrees if {@code back}) for the channel of
   * lane j (a super-plane is at most one vector when it holds several channels), zero past the
   * {@code gg} channels of the group.
   */
  private static void weightVectors(ConvShape s, float[] w, int wOff, int ch0, int gg, boolean back, float[] wv) {
    int kk = s.kernelArea();
    int hw = s.h() * s.w();
    for (int t = 0; t < kk; t++) {
      int src = back ? kk - 1 - t : t;
      if (group(s) == 1) {
        FloatVector.broadcast(S, w[wOff + ch0 * kk + src]).intoArray(wv, t * L);
        continue;
      }
      for (int q = 0; q < L; q++) {
        int ch = q / hw;
        wv[t * L + q] = ch < gg ? w[wOff + (ch0 + ch) * kk + src] : 0f;
      }
    }
  }

  /**
   * Vector v of the super-planes of four images at {@code xBase} / {@code yBase} (one image
   * apart): y = (or += if {@code add}) the masked correlation. The images share masks and weights.
   */
  private static void correlate4(
      ConvShape s, int[] lay, float[] wv, int v, int groupBits, float[] x, int xBase, float[] y, int yBase, boolean add) {
    int kk = s.kernelArea();
    int nv = maskedVectors(s);
    int img = s.cin() * s.h() * s.w();
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    int o = xBase + v * L;
    for (int t = 0; t < kk; t++) {
      VectorMask<Float> m = VectorMask.fromLong(S, lay[kk + t * nv + v] & groupBits & 0xFFFFFFFFL);
      FloatVector wt = FloatVector.fromArray(S, wv, t * L);
      int r = o + lay[t];
      a0 = FloatVector.fromArray(S, x, r, m).fma(wt, a0);
      a1 = FloatVector.fromArray(S, x, r + img, m).fma(wt, a1);
      a2 = FloatVector.fromArray(S, x, r + 2 * img, m).fma(wt, a2);
      a3 = FloatVector.fromArray(S, x, r + 3 * img, m).fma(wt, a3);
    }
    VectorMask<Float> store = VectorMask.fromLong(S, lay[kk + kk * nv + v] & groupBits & 0xFFFFFFFFL);
    int d = yBase + v * L;
    put(a0, y, d, store, add);
    put(a1, y, d + img, store, add);
    put(a2, y, d + 2 * img, store, add);
    put(a3, y, d + 3 * img, store, add);
  }

  /** {@link #correlate4} for one image. */
  private static void correlate1(
      ConvShape s, int[] lay, float[] wv, int v, int groupBits, float[] x, int xBase, float[] y, int yBase, boolean add) {
    int kk = s.kernelArea();
    int nv = maskedVectors(s);
    FloatVector a0 = FloatVector.zero(S);
    int o = xBase + v * L;
    for (int t = 0; t < kk; t++) {
      VectorMask<Float> m = VectorMask.fromLong(S, lay[kk + t * nv + v] & groupBits & 0xFFFFFFFFL);
      a0 = FloatVector.fromArray(S, x, o + lay[t], m).fma(FloatVector.fromArray(S, wv, t * L), a0);
    }
    VectorMask<Float> store = VectorMask.fromLong(S, lay[kk + kk * nv + v] & groupBits & 0xFFFFFFFFL);
    put(a0, y, yBase + v * L, store, add);
  }

  private static void put(FloatVector a, float[] y, int at, VectorMask<Float> m, boolean add) {
    if (add) {
      a = a.add(FloatVector.fromArray(S, y, at, m));
    }
    a.intoArray(y, at, m);
  }

  /** {@link Kernels#depthwiseBackwardWeights}. */
  void backwardWeights(ConvShape s, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff) {
    int[] lay = layout(s);
    int g = group(s);
    int groups = (s.cout() + g - 1) / g;
    int kk = s.kernelArea();
    int nv = maskedVectors(s);
    int minGroups = Math.max(1, MIN_WORK / Math.max(1, s.n() * nv * L * kk));
    parallel.forRange(groups, minGroups, (chunk, from, to) -> {
      float[] lanes = workspaces.get().floats(Workspace.TAP_VALUES, L);
      for (int grp = from; grp < to; grp++) {
        int ch0 = grp * g;
        int gg = Math.min(g, s.cout() - ch0);
        int groupBits = gg == g ? -1 : (1 << (gg * s.h() * s.w())) - 1;
        int base = ch0 * s.h() * s.w();
        for (int t = 0; t < kk; t++) {
          FloatVector sum = tapSum(s, lay, t, groupBits, x, xOff + base, dy, dyOff + base);
          addTap(s, sum, gg, t, lanes, dw, dwOff + ch0 * kk);
        }
      }
    });
  }

  /** Lane-wise sum over images and vectors of the masked x (shifted by tap t) times dy. */
  private static FloatVector tapSum(
      ConvShape s, int[] lay, int t, int groupBits, float[] x, int xBase, float[] dy, int dyBase) {
    int kk = s.kernelArea();
    int nv = maskedVectors(s);
    int img = s.cin() * s.h() * s.w();
    int shift = lay[t];
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    for (int v = 0; v < nv; v++) {
      VectorMask<Float> m = VectorMask.fromLong(S, lay[kk + t * nv + v] & groupBits & 0xFFFFFFFFL);
      VectorMask<Float> in = VectorMask.fromLong(S, lay[kk + kk * nv + v] & groupBits & 0xFFFFFFFFL);
      int o = v * L;
      int i = 0;
      for (; i + 2 <= s.n(); i += 2) {
        int r = i * img + o;
        a0 = FloatVector.fromArray(S, x, xBase + r + shift, m).fma(FloatVector.fromArray(S, dy, dyBase + r, in), a0);
        a1 = FloatVector.fromArray(S, x, xBase + r + img + shift, m)
            .fma(FloatVector.fromArray(S, dy, dyBase + r + img, in), a1);
      }
      if (i < s.n()) {
        int r = i * img + o;
        a0 = FloatVector.fromArray(S, x, xBase + r + shift, m).fma(FloatVector.fromArray(S, dy, dyBase + r, in), a0);
      }
    }
    return a0.add(a1);
  }

  /** dw[ch*kk + t] += the lanes of {@code sum} that belong to channel ch of the group. */
  private static void addTap(ConvShape s, FloatVector sum, int gg, int t, float[] lanes, float[] dw, int dwBase) {
    int kk = s.kernelArea();
    if (group(s) == 1) {
      dw[dwBase + t] += sum.reduceLanes(VectorOperators.ADD);
      return;
    }
    sum.intoArray(lanes, 0);
    int hw = s.h() * s.w();
    for (int k = 0; k < gg; k++) {
      float acc = 0f;
      for (int j = k * hw; j < (k + 1) * hw; j++) {
        acc += lanes[j];
      }
      dw[dwBase + k * kk + t] += acc;
    }
  }
}
