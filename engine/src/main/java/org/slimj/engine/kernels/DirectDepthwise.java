package org.slimj.engine.kernels;

import java.util.Arrays;
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
  private static final FloatVector ZERO = FloatVector.zero(S);
  /** Multiply-adds per chunk below which a loop stays on the calling thread. */
  private static final int MIN_WORK = 1 << 15;
  /** Floats of one image's planes that backward weights handles together (a page). */
  private static final int BLOCK_FLOATS = 1024;

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
    float[] table = g == 1 ? null : weightTable(s, w, wOff, back, workspaces.get().floats(Workspace.TAP_VALUES, groups * kk * L));
    int minUnits = Math.max(1, MIN_WORK / Math.max(1, nv * L * kk));
    int plane = s.h() * s.w();
    // units (image, channel group) in memory order, so planes are read and written as one stream
    parallel.forRange(s.n() * groups, minUnits, (chunk, from, to) -> {
      for (int u = from; u < to; u++) {
        int i = u / groups;
        int grp = u % groups;
        int ch0 = grp * g;
        int gg = Math.min(g, s.cout() - ch0);
        int groupBits = gg == g ? -1 : (1 << (gg * plane)) - 1;
        int at = (i * s.cin() + ch0) * plane;
        float[] wt = g == 1 ? w : table;
        int wb = g == 1 ? wOff + ch0 * kk : grp * kk * L;
        boolean safe = inside(x, xOff + at + lay[0], xOff + at + nv * L + lay[kk - 1]);
        int v = 0;
        for (; v + 4 <= nv; v += 4) {
          if (safe) {
            correlate4Safe(s, lay, wt, wb, g == 1, back, v, x, xOff + at, y, yOff + at);
          } else {
            correlate4(s, lay, wt, wb, g == 1, back, v, x, xOff + at, y, yOff + at);
          }
        }
        for (; v < nv; v++) {
          if (safe) {
            correlate1Safe(s, lay, wt, wb, g == 1, back, v, groupBits, x, xOff + at, y, yOff + at);
          } else {
            correlate1(s, lay, wt, wb, g == 1, back, v, groupBits, x, xOff + at, y, yOff + at);
          }
        }
      }
    });
  }

  /**
   * Packed planes: table[(grp*kk + t)*L + j] = the weight of tap t (turned by 180 degrees if {@code
   * back}) for the channel of lane j of group grp (a super-plane is one vector), zero past the
   * channels.
   */
  private static float[] weightTable(ConvShape s, float[] w, int wOff, boolean back, float[] table) {
    int kk = s.kernelArea();
    int hw = s.h() * s.w();
    int g = group(s);
    int groups = (s.cout() + g - 1) / g;
    for (int grp = 0; grp < groups; grp++) {
      for (int t = 0; t < kk; t++) {
        int src = back ? kk - 1 - t : t;
        for (int q = 0; q < L; q++) {
          int ch = grp * g + q / hw;
          table[(grp * kk + t) * L + q] = q / hw < g && ch < s.cout() ? w[wOff + ch * kk + src] : 0f;
        }
      }
    }
    return table;
  }

  /** The weights of tap t: broadcast from {@code w[wb + t']} or read from a weight table. */
  private static FloatVector weight(float[] wt, int wb, boolean broadcast, boolean back, int t, int kk) {
    if (broadcast) {
      return FloatVector.broadcast(S, wt[wb + (back ? kk - 1 - t : t)]);
    }
    return FloatVector.fromArray(S, wt, wb + t * L);
  }

  /**
   * Vectors v .. v+3 of one plane (only whole planes: one channel) at {@code xBase} / {@code yBase}:
   * y = (or += if {@code back}) the masked correlation.
   */
  private static void correlate4(
      ConvShape s, int[] lay, float[] wt, int wb, boolean broadcast, boolean back, int v, float[] x, int xBase,
      float[] y, int yBase) {
    int kk = s.kernelArea();
    int nv = maskedVectors(s);
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    int o = xBase + v * L;
    for (int t = 0; t < kk; t++) {
      FloatVector wv = weight(wt, wb, broadcast, back, t, kk);
      int r = o + lay[t];
      int mb = kk + t * nv + v;
      a0 = FloatVector.fromArray(S, x, r, mask(lay[mb], -1)).fma(wv, a0);
      a1 = FloatVector.fromArray(S, x, r + L, mask(lay[mb + 1], -1)).fma(wv, a1);
      a2 = FloatVector.fromArray(S, x, r + 2 * L, mask(lay[mb + 2], -1)).fma(wv, a2);
      a3 = FloatVector.fromArray(S, x, r + 3 * L, mask(lay[mb + 3], -1)).fma(wv, a3);
    }
    int st = kk + kk * nv + v;
    int d = yBase + v * L;
    put(a0, y, d, mask(lay[st], -1), back);
    put(a1, y, d + L, mask(lay[st + 1], -1), back);
    put(a2, y, d + 2 * L, mask(lay[st + 2], -1), back);
    put(a3, y, d + 3 * L, mask(lay[st + 3], -1), back);
  }
  /** {@link #correlate4} for planes whose reads all fall inside the arrays: plain loads, blended. */
  private static void correlate4Safe(
      ConvShape s, int[] lay, float[] wt, int wb, boolean broadcast, boolean back, int v, float[] x, int xBase,
      float[] y, int yBase) {
    int kk = s.kernelArea();
    int nv = maskedVectors(s);
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    int o = xBase + v * L;
    for (int t = 0; t < kk; t++) {
      FloatVector wv = weight(wt, wb, broadcast, back, t, kk);
      int r = o + lay[t];
      int mb = kk + t * nv + v;
      a0 = ZERO.blend(FloatVector.fromArray(S, x, r), mask(lay[mb], -1)).fma(wv, a0);
      a1 = ZERO.blend(FloatVector.fromArray(S, x, r + L), mask(lay[mb + 1], -1)).fma(wv, a1);
      a2 = ZERO.blend(FloatVector.fromArray(S, x, r + 2 * L), mask(lay[mb + 2], -1)).fma(wv, a2);
      a3 = ZERO.blend(FloatVector.fromArray(S, x, r + 3 * L), mask(lay[mb + 3], -1)).fma(wv, a3);
    }
    int st = kk + kk * nv + v;
    int d = yBase + v * L;
    put(a0, y, d, mask(lay[st], -1), back);
    put(a1, y, d + L, mask(lay[st + 1], -1), back);
    put(a2, y, d + 2 * L, mask(lay[st + 2], -1), back);
    put(a3, y, d + 3 * L, mask(lay[st + 3], -1), back);
  }

  /** {@link #correlate4} for one vector, of a plane or of a super-plane of packed channels. */
  private static void correlate1(
      ConvShape s, int[] lay, float[] wt, int wb, boolean broadcast, boolean back, int v, int groupBits, float[] x,
      int xBase, float[] y, int yBase) {
    int kk = s.kernelArea();
    int nv = maskedVectors(s);
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    int o = xBase + v * L;
    int t = 0;
    for (; t + 2 <= kk; t += 2) {
      a0 = FloatVector.fromArray(S, x, o + lay[t], mask(lay[kk + t * nv + v], groupBits))
          .fma(weight(wt, wb, broadcast, back, t, kk), a0);
      a1 = FloatVector.fromArray(S, x, o + lay[t + 1], mask(lay[kk + (t + 1) * nv + v], groupBits))
          .fma(weight(wt, wb, broadcast, back, t + 1, kk), a1);
    }
    if (t < kk) {
      a0 = FloatVector.fromArray(S, x, o + lay[t], mask(lay[kk + t * nv + v], groupBits))
          .fma(weight(wt, wb, broadcast, back, t, kk), a0);
    }
    put(a0.add(a1), y, yBase + v * L, mask(lay[kk + kk * nv + v], groupBits), back);
  }
  /** {@link #correlate1} for planes whose reads all fall inside the arrays: plain loads, blended. */
  private static void correlate1Safe(
      ConvShape s, int[] lay, float[] wt, int wb, boolean broadcast, boolean back, int v, int groupBits, float[] x,
      int xBase, float[] y, int yBase) {
    int kk = s.kernelArea();
    int nv = maskedVectors(s);
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    int o = xBase + v * L;
    int t = 0;
    for (; t + 2 <= kk; t += 2) {
      a0 = ZERO.blend(FloatVector.fromArray(S, x, o + lay[t]), mask(lay[kk + t * nv + v], groupBits))
          .fma(weight(wt, wb, broadcast, back, t, kk), a0);
      a1 = ZERO.blend(FloatVector.fromArray(S, x, o + lay[t + 1]), mask(lay[kk + (t + 1) * nv + v], groupBits))
          .fma(weight(wt, wb, broadcast, back, t + 1, kk), a1);
    }
    if (t < kk) {
      a0 = ZERO.blend(FloatVector.fromArray(S, x, o + lay[t]), mask(lay[kk + t * nv + v], groupBits))
          .fma(weight(wt, wb, broadcast, back, t, kk), a0);
    }
    put(a0.add(a1), y, yBase + v * L, mask(lay[kk + kk * nv + v], groupBits), back);
  }

  /** Whether {@code [from, to)} lies inside {@code a}. */
  private static boolean inside(float[] a, int from, int to) {
    return from >= 0 && to <= a.length;
  }

  private static VectorMask<Float> mask(int bits, int groupBits) {
    return VectorMask.fromLong(S, bits & groupBits & 0xFFFFFFFFL);
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
    // groups per block: a block's planes of one image make a run of about a page
    int block = Math.max(1, BLOCK_FLOATS / (g * s.h() * s.w()));
    parallel.forRange(groups, minGroups, (chunk, from, to) -> {
      float[] acc = workspaces.get().floats(Workspace.TAP_VALUES, (block * kk + 1) * L);
      for (int b0 = from; b0 < to; b0 += block) {
        int b1 = Math.min(to, b0 + block);
        Arrays.fill(acc, 0, (b1 - b0) * kk * L, 0f);
        for (int i = 0; i < s.n(); i++) {
          for (int grp = b0; grp < b1; grp++) {
            int gg = Math.min(g, s.cout() - grp * g);
            int groupBits = gg == g ? -1 : (1 << (gg * s.h() * s.w())) - 1;
            int at = (i * s.cin() + grp * g) * s.h() * s.w();
            boolean safe = inside(x, xOff + at + lay[0], xOff + at + nv * L + lay[kk - 1])
                && inside(dy, dyOff + at, dyOff + at + nv * L);
            if (safe) {
              planeTapsSafe(s, lay, groupBits, x, xOff + at, dy, dyOff + at, acc, (grp - b0) * kk * L);
            } else {
              planeTaps(s, lay, groupBits, x, xOff + at, dy, dyOff + at, acc, (grp - b0) * kk * L);
            }
          }
        }
        for (int grp = b0; grp < b1; grp++) {
          int gg = Math.min(g, s.cout() - grp * g);
          for (int t = 0; t < kk; t++) {
            FloatVector sum = FloatVector.fromArray(S, acc, ((grp - b0) * kk + t) * L);
            addTap(s, sum, gg, t, acc, block * kk * L, dw, dwOff + grp * g * kk);
          }
        }
      }
    });
  }

  /** acc[accOff + t*L ..] += lane-wise, over the plane's vectors, the masked x shifted by tap t times dy. */
  private static void planeTaps(
      ConvShape s, int[] lay, int groupBits, float[] x, int xBase, float[] dy, int dyBase, float[] acc, int accOff) {
    int kk = s.kernelArea();
    int nv = maskedVectors(s);
    for (int t = 0; t < kk; t++) {
      FloatVector a0 = FloatVector.fromArray(S, acc, accOff + t * L);
      FloatVector a1 = FloatVector.zero(S);
      int v = 0;
      for (; v + 2 <= nv; v += 2) {
        int o = v * L;
        a0 = FloatVector.fromArray(S, x, xBase + o + lay[t], mask(lay[kk + t * nv + v], groupBits))
            .fma(FloatVector.fromArray(S, dy, dyBase + o, mask(lay[kk + kk * nv + v], groupBits)), a0);
        a1 = FloatVector.fromArray(S, x, xBase + o + L + lay[t], mask(lay[kk + t * nv + v + 1], groupBits))
            .fma(FloatVector.fromArray(S, dy, dyBase + o + L, mask(lay[kk + kk * nv + v + 1], groupBits)), a1);
      }
      if (v < nv) {
        a0 = FloatVector.fromArray(S, x, xBase + v * L + lay[t], mask(lay[kk + t * nv + v], groupBits))
            .fma(FloatVector.fromArray(S, dy, dyBase + v * L, mask(lay[kk + kk * nv + v], groupBits)), a0);
      }
      a0.add(a1).intoArray(acc, accOff + t * L);
    }
  }
  /** {@link #planeTaps} for planes whose reads all fall inside the arrays: plain loads, blended. */
  private static void planeTapsSafe(
      ConvShape s, int[] lay, int groupBits, float[] x, int xBase, float[] dy, int dyBase, float[] acc, int accOff) {
    int kk = s.kernelArea();
    int t = 0;
    for (; t + 3 <= kk; t += 3) {
      threeTapsSafe(s, lay, t, groupBits, x, xBase, dy, dyBase, acc, accOff);
    }
    for (; t < kk; t++) {
      int nv = maskedVectors(s);
      FloatVector a0 = FloatVector.fromArray(S, acc, accOff + t * L);
      for (int v = 0; v < nv; v++) {
        FloatVector d = ZERO.blend(FloatVector.fromArray(S, dy, dyBase + v * L), mask(lay[kk + kk * nv + v], groupBits));
        a0 = ZERO.blend(FloatVector.fromArray(S, x, xBase + v * L + lay[t]), mask(lay[kk + t * nv + v], groupBits))
            .fma(d, a0);
      }
      a0.intoArray(acc, accOff + t * L);
    }
  }

  /** {@link #planeTapsSafe} for taps t, t+1, t+2 together: each dy vector is loaded once. */
  private static void threeTapsSafe(
      ConvShape s, int[] lay, int t, int groupBits, float[] x, int xBase, float[] dy, int dyBase, float[] acc,
      int accOff) {
    int kk = s.kernelArea();
    int nv = maskedVectors(s);
    FloatVector a0 = FloatVector.fromArray(S, acc, accOff + t * L);
    FloatVector a1 = FloatVector.fromArray(S, acc, accOff + (t + 1) * L);
    FloatVector a2 = FloatVector.fromArray(S, acc, accOff + (t + 2) * L);
    int r0 = xBase + lay[t];
    int r1 = xBase + lay[t + 1];
    int r2 = xBase + lay[t + 2];
    for (int v = 0; v < nv; v++) {
      int o = v * L;
      FloatVector d = ZERO.blend(FloatVector.fromArray(S, dy, dyBase + o), mask(lay[kk + kk * nv + v], groupBits));
      a0 = ZERO.blend(FloatVector.fromArray(S, x, r0 + o), mask(lay[kk + t * nv + v], groupBits)).fma(d, a0);
      a1 = ZERO.blend(FloatVector.fromArray(S, x, r1 + o), mask(lay[kk + (t + 1) * nv + v], groupBits)).fma(d, a1);
      a2 = ZERO.blend(FloatVector.fromArray(S, x, r2 + o), mask(lay[kk + (t + 2) * nv + v], groupBits)).fma(d, a2);
    }
    a0.intoArray(acc, accOff + t * L);
    a1.intoArray(acc, accOff + (t + 1) * L);
    a2.intoArray(acc, accOff + (t + 2) * L);
  }

  /** dw[ch*kk + t] += the lanes of {@code sum} that belong to channel ch of the group. */
  private static void addTap(
      ConvShape s, FloatVector sum, int gg, int t, float[] lanes, int lanesOff, float[] dw, int dwBase) {
    int kk = s.kernelArea();
    if (group(s) == 1) {
      dw[dwBase + t] += sum.reduceLanes(VectorOperators.ADD);
      return;
    }
    sum.intoArray(lanes, lanesOff);
    int hw = s.h() * s.w();
    for (int k = 0; k < gg; k++) {
      float acc = 0f;
      for (int j = lanesOff + k * hw; j < lanesOff + (k + 1) * hw; j++) {
        acc += lanes[j];
      }
      dw[dwBase + k * kk + t] += acc;
    }
  }
}
