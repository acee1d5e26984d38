package org.slimj.engine.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Depthwise convolutions on {@link PhasePlanes}: every tap is a shifted, contiguous multiply-add
 * over the flat output index, vectorized with four independent accumulators, for any stride,
 * padding and kernel size.
 *
 * <ul>
 *   <li>forward: split the input plane into phases, correlate, drop the padding columns;
 *   <li>backward data: for each input phase, a full correlation of the zero-framed output
 *       gradient with the taps of that phase, added into dx;
 *   <li>backward weights: one dot product per tap between the input phases and the output
 *       gradient, summed over the batch in image order.
 * </ul>
 * Planes (forward, backward data) or channels (backward weights) are split over the pool; each
 * output is computed the same way in any chunk, so results do not depend on the thread count.

 *
 * <p>Stride-1 "same" convolutions ({@code kh = kw = 2*pad + 1}) of planes up to a few thousand
 * elements go to {@link DirectDepthwise} instead, which needs no copies.
 */
final class VectorDepthwise {
  private static final VectorSpecies<Float> S = VectorKernels.SPECIES;
  private static final int L = S.length();

  /** Multiply-adds per chunk below which a loop stays on the calling thread. */
  private static final int MIN_WORK = 1 << 15;

  private final Parallel parallel;
  private final ThreadLocal<Workspace> workspaces;
  private final DirectDepthwise direct;

  VectorDepthwise(Parallel parallel, ThreadLocal<Workspace> workspaces) {
    this.parallel = parallel;
    this.workspaces = workspaces;
    this.direct = new DirectDepthwise(parallel, workspaces);
  }


  private static boolean direct(ConvShape s) {
    return DirectDepthwise.handles(s);
  }

  /** {@link Kernels#depthwiseForward}. */
  void forward(ConvShape s, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff) {
    assert s.cin() == s.cout() : "depthwise needs cin == cout, found " + s;
    if (direct(s)) {
      direct.forward(s, x, xOff, w, wOff, y, yOff);
      return;
    }
    PhasePlanes pp = new PhasePlanes(s);
    int c = s.cout();
    int kk = s.kernelArea();
    parallel.forRange(s.n() * c, minPlanes(pp, kk), (chunk, from, to) -> {
      Workspace ws = workspaces.get();
      float[] in = ws.floats(Workspace.PLANE_IN, pp.size() + PhasePlanes.SLACK);
      float[] out = ws.floats(Workspace.PLANE_OUT, pp.outputLength() + PhasePlanes.SLACK);
      int[] taps = tapOffsets(s, pp, ws.ints(Workspace.TAPS, kk));
      for (int plane = from; plane < to; plane++) {
        pp.split(x, xOff + plane * s.h() * s.w(), in, 0);
        correlate(in, taps, w, wOff + (plane % c) * kk, kk, out, 0, pp.outputLength());
        pp.gather(out, 0, y, yOff + plane * s.hout() * s.wout());
      }
    });
  }

  /** {@link Kernels#depthwiseBackwardData}. */
  void backwardData(ConvShape s, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
    assert s.cin() == s.cout() : "depthwise needs cin == cout, found " + s;
    if (direct(s)) {
      direct.backwardData(s, dy, dyOff, w, wOff, dx, dxOff);
      return;
    }
    PhasePlanes pp = new PhasePlanes(s);
    int c = s.cout();
    int kk = s.kernelArea();
    int st = s.stride();
    int front = ((s.kh() - 1) / st) * pp.pitch() + (s.kw() - 1) / st;
    parallel.forRange(s.n() * c, minPlanes(pp, kk), (chunk, from, to) -> {
      Workspace ws = workspaces.get();
      float[] grad = ws.floats(Workspace.PLANE_OUT, front + pp.planeSize() + PhasePlanes.SLACK);
      float[] phases = ws.floats(Workspace.PLANE_IN, pp.size() + PhasePlanes.SLACK);
      int[] taps = ws.ints(Workspace.TAPS, kk);
      float[] wt = ws.floats(Workspace.TAP_VALUES, kk);
      if (st > s.kh() || st > s.kw()) {
        // phases no tap writes must read as zero. The whole vectors correlate() ends with spill into
        // the next phase only values read from the zero frame past the gradient's last row, so zero.
        Arrays.fill(phases, 0, pp.size() + PhasePlanes.SLACK, 0f);
      }
      for (int plane = from; plane < to; plane++) {
        pp.spread(dy, dyOff + plane * s.hout() * s.wout(), grad, 0, front, pp.planeSize());
        for (int ry = 0; ry < Math.min(st, s.kh()); ry++) {
          for (int rx = 0; rx < Math.min(st, s.kw()); rx++) {
            int count = phaseTaps(s, pp, front, ry, rx, w, wOff + (plane % c) * kk, taps, wt);
            correlate(grad, taps, wt, 0, count, phases, pp.phaseOffset(ry, rx), pp.planeSize());
          }
        }
        pp.addAll(phases, 0, dx, dxOff + plane * s.h() * s.w());
      }
    });
  }

  /**
   * Lists the taps (ky, kx) = (a*stride + ry, b*stride + rx) that write input phase (ry, rx): their
   * weights in {@code wt} and their read offsets {@code front - a*pitch - b} into the framed gradient
   * in {@code taps}. Returns how many.
   */
  private static int phaseTaps(
      ConvShape s, PhasePlanes pp, int front, int ry, int rx, float[] w, int wBase, int[] taps, float[] wt) {
    int count = 0;
    for (int ky = ry, a = 0; ky < s.kh(); ky += s.stride(), a++) {
      for (int kx = rx, b = 0; kx < s.kw(); kx += s.stride(), b++) {
        taps[count] = front - a * pp.pitch() - b;
        wt[count] = w[wBase + ky * s.kw() + kx];
        count++;
      }
    }
    return count;
  }

  /** {@link Kernels#depthwiseBackwardWeights}. */
  void backwardWeights(ConvShape s, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff) {
    assert s.cin() == s.cout() : "depthwise needs cin == cout, found " + s;
    if (direct(s)) {
      direct.backwardWeights(s, x, xOff, dy, dyOff, dw, dwOff);
      return;
    }
    PhasePlanes pp = new PhasePlanes(s);
    int c = s.cout();
    int kk = s.kernelArea();
    int minChannels = Math.max(1, minPlanes(pp, kk) / s.n());
    parallel.forRange(c, minChannels, (chunk, from, to) -> {
      Workspace ws = workspaces.get();
      float[] in = ws.floats(Workspace.PLANE_IN, pp.size() + PhasePlanes.SLACK);
      float[] grad = ws.floats(Workspace.PLANE_OUT, pp.outputLength() + PhasePlanes.SLACK);
      int[] taps = tapOffsets(s, pp, ws.ints(Workspace.TAPS, kk));
      float[] sums = ws.floats(Workspace.TAP_VALUES, (to - from) * kk);
      Arrays.fill(sums, 0, (to - from) * kk, 0f);
      // images outer, channels inner: planes are read in memory order; each sum still adds images in order
      for (int i = 0; i < s.n(); i++) {
        for (int ch = from; ch < to; ch++) {
          int plane = i * c + ch;
          pp.split(x, xOff + plane * s.h() * s.w(), in, 0);
          pp.spread(dy, dyOff + plane * s.hout() * s.wout(), grad, 0, 0, pp.outputLength());
          int base = (ch - from) * kk;
          for (int t = 0; t < kk; t++) {
            sums[base + t] += dot(in, taps[t], grad, pp.outputLength());
          }
        }
      }
      for (int j = 0; j < (to - from) * kk; j++) {
        dw[dwOff + from * kk + j] += sums[j];
      }
    });
  }

  /** taps[ky*kw + kx] = where tap (ky, kx) reads for output 0. */
  private static int[] tapOffsets(ConvShape s, PhasePlanes pp, int[] taps) {
    for (int ky = 0; ky < s.kh(); ky++) {
      for (int kx = 0; kx < s.kw(); kx++) {
        taps[ky * s.kw() + kx] = pp.tapOffset(ky, kx);
      }
    }
    return taps;
  }

  private static int minPlanes(PhasePlanes pp, int kk) {
    return Math.max(1, MIN_WORK / Math.max(1, pp.outputLength() * kk));
  }

  /**
   * out[outOff + q] = sum over t < count of w[wOff + t] * in[taps[t] + q], for q in [0, len)
   * rounded up to whole vectors: {@code in} and {@code out} need {@link PhasePlanes#SLACK} floats of
   * room past them.
   */
  static void correlate(float[] in, int[] taps, float[] w, int wOff, int count, float[] out, int outOff, int len) {
    int q = 0;
    for (; q + 4 * L <= len; q += 4 * L) {
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      for (int t = 0; t < count; t++) {
        FloatVector wv = FloatVector.broadcast(S, w[wOff + t]);
        int o = taps[t] + q;
        a0 = FloatVector.fromArray(S, in, o).fma(wv, a0);
        a1 = FloatVector.fromArray(S, in, o + L).fma(wv, a1);
        a2 = FloatVector.fromArray(S, in, o + 2 * L).fma(wv, a2);
        a3 = FloatVector.fromArray(S, in, o + 3 * L).fma(wv, a3);
      }
      a0.intoArray(out, outOff + q);
      a1.intoArray(out, outOff + q + L);
      a2.intoArray(out, outOff + q + 2 * L);
      a3.intoArray(out, outOff + q + 3 * L);
    }
    for (; q < len; q += L) {
      FloatVector a0 = FloatVector.zero(S);
      for (int t = 0; t < count; t++) {
        a0 = FloatVector.fromArray(S, in, taps[t] + q).fma(FloatVector.broadcast(S, w[wOff + t]), a0);
      }
      a0.intoArray(out, outOff + q);
    }
  }

  /**
   * Sum over q in [0, len) of a[aOff + q] * b[q], read in whole vectors: past {@code len}, {@code b}
   * must hold zeros and {@code a} finite values, up to one vector further.
   */
  static float dot(float[] a, int aOff, float[] b, int len) {
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = s0;
    int q = 0;
    for (; q + 2 * L <= len; q += 2 * L) {
      s0 = FloatVector.fromArray(S, a, aOff + q).fma(FloatVector.fromArray(S, b, q), s0);
      s1 = FloatVector.fromArray(S, a, aOff + q + L).fma(FloatVector.fromArray(S, b, q + L), s1);
    }
    for (; q < len; q += L) {
      s0 = FloatVector.fromArray(S, a, aOff + q).fma(FloatVector.fromArray(S, b, q), s0);
    }
    return LaneSum.of(s0.add(s1));
  }
}
