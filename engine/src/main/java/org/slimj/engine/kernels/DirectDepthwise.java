package org.slimj.engine.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stride-1 "same" depthwise convolutions ({@code kh = kw = 2*pad + 1}, so the output plane has the
 * input's shape) computed straight from the unpadded planes, without copies.
 *
 * <p>With flat index {@code q = y*w + x}, tap (ky, kx) reads {@code q + (ky-pad)*w + (kx-pad)}: a
 * constant shift. Lanes whose read falls outside the plane are switched off by a per-(tap, vector)
 * mask, so borders need no padding. Planes smaller than a vector are packed: a vector
 * covers {@code g = L / (h*w)} consecutive channels of one image (contiguous in memory), each lane
 * multiplied by its own channel's weight. Work is split over channel groups; each group runs over
 * the whole batch with its weight vectors and masks built once, and every output is computed the
 * same way in any chunk, so results do not depend on the thread count.
 *
 * <p>Only whole vectors whose reads all fall inside the arrays are vectorized, with plain loads
 * blended with the mask (a plane's last partial vector, partial channel groups and the few vectors
 * whose reads would leave the array are computed element by element, in the same order of taps).
 * Masked loads and stores at offsets near the array ends, and large methods, make C2 give up
 * inlining and box vectors on the heap: the vector methods here are kept small, take and return
 * no vectors or masks (a helper that C2 declines to inline would box them), and start their
 * accumulators from {@code FloatVector.zero}.
 *
 * <p>Backward data is the same correlation with the kernel turned by 180 degrees (the shifts and
 * masks are symmetric), added into dx. Backward weights is one masked dot product per tap, summed
 * in vector registers over the batch and plane.
 */
final class DirectDepthwise {
  private static final VectorSpecies<Float> S = VectorKernels.SPECIES;
  private static final int L = S.length();
  /**
   * Blend source of masked-off lanes. Never the start of an accumulator: a loop-carried vector
   * that starts as this constant cannot be kept in a register by C2 and is boxed at every step.
   */
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
   * t*nv + v]} the lanes of vector v that tap t may read.
   */
  private int[] layout(ConvShape s) {
    int kk = s.kernelArea();
    int nv = maskedVectors(s);
    int[] ints = workspaces.get().ints(Workspace.TAPS, kk + kk * nv);
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
    // units (image, channel group) in memory order, so planes are read and written as one stream
    parallel.forRange(s.n() * groups, minUnits, (chunk, from, to) ->
        correlateUnits(s, lay, from, to, x, xOff, w, wOff, table, y, yOff, back));
  }

  /**
   * Units {@code [from, to)}: whole vectors whose reads all fall inside {@code x} are computed with
   * plain loads blended with the tap masks; the rest of each unit (the plane's last partial vector,
   * reads past either end of the array) element by element, in the same order of taps.
   */
  private static void correlateUnits(
      ConvShape s, int[] lay, int from, int to, float[] x, int xOff, float[] w, int wOff, float[] table,
      float[] y, int yOff, boolean back) {
    int g = group(s);
    int groups = (s.cout() + g - 1) / g;
    int kk = s.kernelArea();
    int plane = s.h() * s.w();
    for (int u = from; u < to; u++) {
      int i = u / groups;
      int grp = u % groups;
      int ch0 = grp * g;
      int gg = Math.min(g, s.cout() - ch0);
      int at = (i * s.cin() + ch0) * plane;
      int len = gg * plane;
      int xb = xOff + at;
      int yb = yOff + at;
      int v0 = firstWholeVector(xb + lay[0], len);
      int v1 = endOfWholeVectors(xb + lay[kk - 1], len, end(s, xOff));
      if (v1 <= v0) {
        v0 = 0;
        v1 = 0;
      }
      int v = v0;
      if (g == 1) {
        for (; v + 4 <= v1; v += 4) {
          correlate4(s, lay, w, wOff + ch0 * kk, back, v, x, xb, y, yb);
        }
      }
      for (; v < v1; v++) {
        correlate1(s, lay, g == 1 ? w : table, g == 1 ? wOff + ch0 * kk : grp * kk * L, g == 1, back, v, x, xb, y, yb);
      }
      correlateScalar(s, lay, w, wOff + ch0 * kk, back, 0, v0 * L, x, xb, y, yb);
      correlateScalar(s, lay, w, wOff + ch0 * kk, back, v1 * L, len, x, xb, y, yb);
    }
  }

  /**
   * End of the input tensor (n images of cin planes from {@code xOff}): whole-vector reads stop
   * there rather than at the array's end, so which positions take the vector path, and with it the
   * result's last bits, depends only on the shape, never on how long a pooled buffer happens to be.
   */
  private static int end(ConvShape s, int xOff) {
    return xOff + s.n() * s.cin() * s.h() * s.w();
  }

  /** First vector v of a unit at {@code lo} = its base plus the smallest shift with {@code lo + v*L >= 0}. */
  private static int firstWholeVector(int lo, int len) {
    return lo >= 0 ? 0 : Math.min(len / L, (-lo + L - 1) / L);
  }

  /**
   * End of the whole vectors of a unit of {@code len} floats that stay inside an array of {@code
   * length} when read at {@code hi} = the unit's base plus the largest shift: {@code hi + (v+1)*L <=
   * length}.
   */
  private static int endOfWholeVectors(int hi, int len, int length) {
    int room = length - hi;
    return room < L ? 0 : Math.min(len / L, room / L);
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

  /**
   * Whole vectors v .. v+3 of one plane (one channel) at {@code xBase} / {@code yBase}, all reads
   * inside {@code x}: y = (or += if {@code back}) the masked correlation, one accumulator per vector.
   */
  private static void correlate4(
      ConvShape s, int[] lay, float[] w, int wb, boolean back, int v, float[] x, int xBase, float[] y, int yBase) {
    int kk = s.kernelArea();
    int nv = maskedVectors(s);
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    int o = xBase + v * L;
    for (int t = 0; t < kk; t++) {
      FloatVector wv = FloatVector.broadcast(S, w[wb + (back ? kk - 1 - t : t)]);
      int r = o + lay[t];
      int mb = kk + t * nv + v;
      a0 = ZERO.blend(FloatVector.fromArray(S, x, r), VectorMask.fromLong(S, lay[mb])).fma(wv, a0);
      a1 = ZERO.blend(FloatVector.fromArray(S, x, r + L), VectorMask.fromLong(S, lay[mb + 1])).fma(wv, a1);
      a2 = ZERO.blend(FloatVector.fromArray(S, x, r + 2 * L), VectorMask.fromLong(S, lay[mb + 2])).fma(wv, a2);
      a3 = ZERO.blend(FloatVector.fromArray(S, x, r + 3 * L), VectorMask.fromLong(S, lay[mb + 3])).fma(wv, a3);
    }
    int d = yBase + v * L;
    if (back) {
      a0 = a0.add(FloatVector.fromArray(S, y, d));
      a1 = a1.add(FloatVector.fromArray(S, y, d + L));
      a2 = a2.add(FloatVector.fromArray(S, y, d + 2 * L));
      a3 = a3.add(FloatVector.fromArray(S, y, d + 3 * L));
    }
    a0.intoArray(y, d);
    a1.intoArray(y, d + L);
    a2.intoArray(y, d + 2 * L);
    a3.intoArray(y, d + 3 * L);
  }

  /**
   * {@link #correlate4} for one whole vector, of a plane or of a super-plane of packed channels
   * (weights from the table), with even and odd taps in two accumulators.
   */
  private static void correlate1(
      ConvShape s, int[] lay, float[] wt, int wb, boolean broadcast, boolean back, int v, float[] x, int xBase,
      float[] y, int yBase) {
    int kk = s.kernelArea();
    int nv = maskedVectors(s);
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    int o = xBase + v * L;
    int t = 0;
    for (; t + 2 <= kk; t += 2) {
      FloatVector w0 = broadcast
          ? FloatVector.broadcast(S, wt[wb + (back ? kk - 1 - t : t)])
          : FloatVector.fromArray(S, wt, wb + t * L);
      FloatVector w1 = broadcast
          ? FloatVector.broadcast(S, wt[wb + (back ? kk - 2 - t : t + 1)])
          : FloatVector.fromArray(S, wt, wb + (t + 1) * L);
      a0 = ZERO.blend(FloatVector.fromArray(S, x, o + lay[t]), VectorMask.fromLong(S, lay[kk + t * nv + v]))
          .fma(w0, a0);
      a1 = ZERO.blend(FloatVector.fromArray(S, x, o + lay[t + 1]),
              VectorMask.fromLong(S, lay[kk + (t + 1) * nv + v]))
          .fma(w1, a1);
    }
    if (t < kk) {
      FloatVector w0 = broadcast
          ? FloatVector.broadcast(S, wt[wb + (back ? kk - 1 - t : t)])
          : FloatVector.fromArray(S, wt, wb + t * L);
      a0 = ZERO.blend(FloatVector.fromArray(S, x, o + lay[t]), VectorMask.fromLong(S, lay[kk + t * nv + v]))
          .fma(w0, a0);
    }
    FloatVector a = a0.add(a1);
    int d = yBase + v * L;
    if (back) {
      a = a.add(FloatVector.fromArray(S, y, d));
    }
    a.intoArray(y, d);
  }

  /**
   * Flat positions {@code [q0, q1)} of a unit element by element (the unit's channels are
   * consecutive planes; w at {@code wb} holds the first channel's taps): the taps in order, each read
   * that the layout's masks allow.
   */
  private static void correlateScalar(
      ConvShape s, int[] lay, float[] w, int wb, boolean back, int q0, int q1, float[] x, int xBase, float[] y,
      int yBase) {
    int kk = s.kernelArea();
    int nv = maskedVectors(s);
    int plane = s.h() * s.w();
    for (int q = q0; q < q1; q++) {
      int wq = wb + q / plane * kk;
      float a = 0f;
      for (int t = 0; t < kk; t++) {
        if ((lay[kk + t * nv + q / L] >>> (q % L) & 1) != 0) {
          a = Math.fma(x[xBase + q + lay[t]], w[wq + (back ? kk - 1 - t : t)], a);
        }
      }
      y[yBase + q] = back ? a + y[yBase + q] : a;
    }
  }

  /** {@link Kernels#depthwiseBackwardWeights}. */
  void backwardWeights(ConvShape s, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff) {
    int[] lay = layout(s);
    int g = group(s);
    int groups = (s.cout() + g - 1) / g;
    int kk = s.kernelArea();
    int nv = maskedVectors(s);
    int minGroups = Math.max(1, MIN_WORK / Math.max(1, s.n() * nv * L * kk));
    parallel.forRange(groups, minGroups, (chunk, from, to) ->
        weightsOfGroups(s, lay, from, to, x, xOff, dy, dyOff, dw, dwOff, workspaces.get()));
  }

  /**
   * dw of channel groups {@code [from, to)}: per tap, lane-wise sums over the batch and the plane in
   * {@code ws}, a block of groups at a time (a block's planes of one image make a run of about a
   * page), then summed across lanes into dw.
   */
  private static void weightsOfGroups(
      ConvShape s, int[] lay, int from, int to, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff,
      Workspace ws) {
    int g = group(s);
    int kk = s.kernelArea();
    int plane = s.h() * s.w();
    int block = Math.max(1, BLOCK_FLOATS / (g * plane));
    float[] acc = ws.floats(Workspace.TAP_VALUES, (block * kk + 1) * L);
    for (int b0 = from; b0 < to; b0 += block) {
      int b1 = Math.min(to, b0 + block);
      Arrays.fill(acc, 0, (b1 - b0) * kk * L, 0f);
      for (int i = 0; i < s.n(); i++) {
        for (int grp = b0; grp < b1; grp++) {
          int gg = Math.min(g, s.cout() - grp * g);
          int len = gg * plane;
          int at = (i * s.cin() + grp * g) * plane;
          int xb = xOff + at;
          int accOff = (grp - b0) * kk * L;
          int v0 = firstWholeVector(xb + lay[0], len);
          int v1 = endOfWholeVectors(xb + lay[kk - 1], len, end(s, xOff));
          if (v1 <= v0) {
            v0 = 0;
            v1 = 0;
          }
          tapsScalar(s, lay, 0, v0 * L, x, xb, dy, dyOff + at, acc, accOff);
          if (v0 < v1) {
            planeTaps(s, lay, v0, v1, x, xb, dy, dyOff + at, acc, accOff);
          }
          tapsScalar(s, lay, v1 * L, len, x, xb, dy, dyOff + at, acc, accOff);
        }
      }
      for (int grp = b0; grp < b1; grp++) {
        int gg = Math.min(g, s.cout() - grp * g);
        for (int t = 0; t < kk; t++) {
          addTap(s, gg, t, acc, ((grp - b0) * kk + t) * L, block * kk * L, dw, dwOff + grp * g * kk);
        }
      }
    }
  }

  /**
   * acc[accOff + t*L ..] += lane-wise, over whole vectors {@code [v0, v1)} (all reads inside x), x
   * shifted by tap t and masked, times dy; taps three at a time so each dy vector is loaded once.
   */
  private static void planeTaps(
      ConvShape s, int[] lay, int v0, int v1, float[] x, int xBase, float[] dy, int dyBase, float[] acc, int accOff) {
    int kk = s.kernelArea();
    int t = 0;
    for (; t + 3 <= kk; t += 3) {
      threeTaps(s, lay, t, v0, v1, x, xBase, dy, dyBase, acc, accOff);
    }
    for (; t < kk; t++) {
      oneTap(s, lay, t, v0, v1, x, xBase, dy, dyBase, acc, accOff);
    }
  }

  /** {@link #planeTaps} for taps t, t+1, t+2. */
  private static void threeTaps(
      ConvShape s, int[] lay, int t, int v0, int v1, float[] x, int xBase, float[] dy, int dyBase, float[] acc,
      int accOff) {
    int kk = s.kernelArea();
    int nv = maskedVectors(s);
    FloatVector a0 = FloatVector.fromArray(S, acc, accOff + t * L);
    FloatVector a1 = FloatVector.fromArray(S, acc, accOff + (t + 1) * L);
    FloatVector a2 = FloatVector.fromArray(S, acc, accOff + (t + 2) * L);
    int r0 = xBase + lay[t];
    int r1 = xBase + lay[t + 1];
    int r2 = xBase + lay[t + 2];
    for (int v = v0; v < v1; v++) {
      int o = v * L;
      FloatVector d = FloatVector.fromArray(S, dy, dyBase + o);
      a0 = ZERO.blend(FloatVector.fromArray(S, x, r0 + o), VectorMask.fromLong(S, lay[kk + t * nv + v])).fma(d, a0);
      a1 = ZERO.blend(FloatVector.fromArray(S, x, r1 + o), VectorMask.fromLong(S, lay[kk + (t + 1) * nv + v])).fma(d, a1);
      a2 = ZERO.blend(FloatVector.fromArray(S, x, r2 + o), VectorMask.fromLong(S, lay[kk + (t + 2) * nv + v])).fma(d, a2);
    }
    a0.intoArray(acc, accOff + t * L);
    a1.intoArray(acc, accOff + (t + 1) * L);
    a2.intoArray(acc, accOff + (t + 2) * L);
  }

  /** {@link #planeTaps} for tap t alone. */
  private static void oneTap(
      ConvShape s, int[] lay, int t, int v0, int v1, float[] x, int xBase, float[] dy, int dyBase, float[] acc,
      int accOff) {
    int kk = s.kernelArea();
    int nv = maskedVectors(s);
    FloatVector a0 = FloatVector.fromArray(S, acc, accOff + t * L);
    for (int v = v0; v < v1; v++) {
      FloatVector d = FloatVector.fromArray(S, dy, dyBase + v * L);
      a0 = ZERO.blend(FloatVector.fromArray(S, x, xBase + v * L + lay[t]), VectorMask.fromLong(S, lay[kk + t * nv + v])).fma(d, a0);
    }
    a0.intoArray(acc, accOff + t * L);
  }

  /**
   * {@link #planeTaps} for flat positions {@code [q0, q1)} element by element: lane q % L of each
   * tap's sums, in the same order per lane as the vectors.
   */
  private static void tapsScalar(
      ConvShape s, int[] lay, int q0, int q1, float[] x, int xBase, float[] dy, int dyBase, float[] acc, int accOff) {
    int kk = s.kernelArea();
    int nv = maskedVectors(s);
    for (int q = q0; q < q1; q++) {
      float d = dy[dyBase + q];
      for (int t = 0; t < kk; t++) {
        if ((lay[kk + t * nv + q / L] >>> (q % L) & 1) != 0) {
          int a = accOff + t * L + q % L;
          acc[a] = Math.fma(x[xBase + q + lay[t]], d, acc[a]);
        }
      }
    }
  }

  /** dw[ch*kk + t] += the lanes of {@code acc[at ..]} (tap t's sums) that belong to channel ch of the group. */
  private static void addTap(ConvShape s, int gg, int t, float[] acc, int at, int lanesOff, float[] dw, int dwBase) {
    int kk = s.kernelArea();
    FloatVector sum = FloatVector.fromArray(S, acc, at);
    if (group(s) == 1) {
      dw[dwBase + t] += LaneSum.of(sum);
      return;
    }
    sum.intoArray(acc, lanesOff);
    int hw = s.h() * s.w();
    for (int k = 0; k < gg; k++) {
      float a = 0f;
      for (int j = lanesOff + k * hw; j < lanesOff + (k + 1) * hw; j++) {
        a += acc[j];
      }
      dw[dwBase + k * kk + t] += a;
    }
  }
}
