package org.slimj.engine.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Depthwise convolutions of small planes with any stride, padding and kernel, computed straight
 * from the unpadded planes with masked gathers.
 *
 * <p>Each pass computes a "target" plane (the output forward and for backward weights, the input
 * gradient backward) a vector at a time from a "source" plane: for every tap, one masked gather
 * whose lane indices (and mask: taps that fall outside the source, or that no output uses when
 * going backward) are fixed per (tap, vector) and built once per call. Target planes smaller than a
 * vector are packed: a vector covers {@code g = L / targetPlane} consecutive channels of one image
 * (contiguous in memory), each lane with its own channel's weight. Work is split over channel
 * groups; each group runs over the whole batch, and every value is computed the same way in any
 * chunk, so results do not depend on the thread count.
 */
final class GatherDepthwise {
  private static final VectorSpecies<Float> S = VectorKernels.SPECIES;
  private static final int L = S.length();
  /** Multiply-adds per chunk below which a loop stays on the calling thread. */
  private static final int MIN_WORK = 1 << 15;
  /** Floats of one image's planes that backward weights handles together (a page). */
  private static final int BLOCK_FLOATS = 1024;

  private final Parallel parallel;
  private final ThreadLocal<Workspace> workspaces;

  GatherDepthwise(Parallel parallel, ThreadLocal<Workspace> workspaces) {
    this.parallel = parallel;
    this.workspaces = workspaces;
  }

  /**
   * Index maps of one call. {@code back} selects the input-gradient direction (target = input
   * plane, source = output plane).
   */
  private record Plan(ConvShape s, boolean back, int tgt, int src, int g, int nv, int channels, int[] idx, int[] masks) {
    /**
     * The plan for groups of {@code channels} channels. Lanes of absent channels keep index 0: the
     * JDK range-checks masked-off gather lanes too.
     */
    static Plan of(ConvShape s, boolean back, int channels, int[] ints) {
      int in = s.h() * s.w();
      int out = s.hout() * s.wout();
      int tgt = back ? in : out;
      int g = Math.max(1, L / tgt);
      int nv = (g * tgt + L - 1) / L;
      int kk = s.kernelArea();
      return new Plan(s, back, tgt, back ? out : in, g, nv, Math.min(channels, g), ints, ints).fill(kk);
    }

    /** Ints needed by {@link #of}. */
    static int ints(ConvShape s) {
      int tgt = Math.min(s.h() * s.w(), s.hout() * s.wout());
      int g = Math.max(1, L / tgt);
      int nv = (g * Math.max(s.h() * s.w(), s.hout() * s.wout()) + L - 1) / L;
      return s.kernelArea() * nv * (L + 1) + nv;
    }

    /** Base of the masks: after the index maps. */
    int maskBase() {
      return s.kernelArea() * nv * L;
    }

    /** Lanes of vector v inside the super-plane. */
    int tail(int v) {
      return masks[maskBase() + s.kernelArea() * nv + v];
    }

    int mask(int t, int v) {
      return masks[maskBase() + t * nv + v];
    }

    private Plan fill(int kk) {
      int p = channels * tgt;
      for (int t = 0; t < kk; t++) {
        for (int v = 0; v < nv; v++) {
          int bits = 0;
          for (int j = 0; j < L; j++) {
            int q = v * L + j;
            int at = q < p ? source(t, q / tgt, q % tgt) : -1;
            idx[(t * nv + v) * L + j] = Math.max(at, 0);
            bits |= at >= 0 ? 1 << j : 0;
          }
          masks[maskBase() + t * nv + v] = bits;
        }
      }
      for (int v = 0; v < nv; v++) {
        int lanes = Math.min(L, p - v * L);
        masks[maskBase() + kk * nv + v] = lanes >= 32 ? -1 : (1 << lanes) - 1;
      }
      return this;
    }

    /** Where tap t reads, from channel k's target element r, in the source super-plane; -1: nowhere. */
    private int source(int t, int k, int r) {
      int ky = t / s.kw();
      int kx = t % s.kw();
      int st = s.stride();
      if (!back) {
        int iy = (r / s.wout()) * st - s.pad() + ky;
        int ix = (r % s.wout()) * st - s.pad() + kx;
        boolean in = iy >= 0 && iy < s.h() && ix >= 0 && ix < s.w();
        return in ? k * src + iy * s.w() + ix : -1;
      }
      int ny = r / s.w() + s.pad() - ky;
      int nx = r % s.w() + s.pad() - kx;
      if (ny < 0 || nx < 0 || ny % st != 0 || nx % st != 0 || ny / st >= s.hout() || nx / st >= s.wout()) {
        return -1;
      }
      return k * src + (ny / st) * s.wout() + nx / st;
    }
  }

  /** Whether this path is meant for {@code s}: small output planes. */
  static boolean handles(ConvShape s, int maxPlane) {
    return s.cin() == s.cout() && s.h() * s.w() <= maxPlane;
  }

  /** Plans for full channel groups and for the last group (the same plan when it is full). */
  private Plan[] plans(ConvShape s, boolean back) {
    int size = Plan.ints(s);
    int[] ints = workspaces.get().ints(Workspace.TAPS, 2 * size);
    Plan full = Plan.of(s, back, Integer.MAX_VALUE, ints);
    int last = s.cout() - (s.cout() - 1) / full.g() * full.g();
    if (last == full.g()) {
      return new Plan[] {full, full};
    }
    int[] rest = workspaces.get().ints(Workspace.TAPS_LAST, size);
    return new Plan[] {full, Plan.of(s, back, last, rest)};
  }

  /** {@link Kernels#depthwiseForward}. */
  void forward(ConvShape s, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff) {
    run(s, false, x, xOff, w, wOff, y, yOff);
  }

  /** {@link Kernels#depthwiseBackwardData}. */
  void backwardData(ConvShape s, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
    run(s, true, dy, dyOff, w, wOff, dx, dxOff);
  }

  private void run(ConvShape s, boolean back, float[] src, int srcOff, float[] w, int wOff, float[] tgt, int tgtOff) {
    Plan[] plans = plans(s, back);
    Plan plan = plans[0];
    int g = plan.g();
    int groups = (s.cout() + g - 1) / g;
    int kk = s.kernelArea();
    float[] wt = g == 1 ? w : weightTable(plan, w, wOff, workspaces.get().floats(Workspace.TAP_VALUES, groups * kk * L));
    int minUnits = Math.max(1, MIN_WORK / Math.max(1, plan.nv() * L * kk));
    // units (image, channel group) in memory order, so planes are read and written as one stream
    parallel.forRange(s.n() * groups, minUnits, (chunk, from, to) -> {
      for (int u = from; u < to; u++) {
        int i = u / groups;
        int grp = u % groups;
        Plan p = grp * g + g <= s.cout() ? plan : plans[1];
        int sBase = srcOff + (i * s.cin() + grp * g) * plan.src();
        int tBase = tgtOff + (i * s.cin() + grp * g) * plan.tgt();
        for (int v = 0; v < plan.nv(); v++) {
          gatherVector(p, wt, g == 1 ? wOff + grp * kk : grp * kk * L, v, src, sBase, tgt, tBase);
        }
      }
    });
  }

  /**
   * Packed planes: table[(grp*kk + t)*L + j] = the weight of tap t for the channel of lane j of
   * channel group grp, zero past the last channel.
   */
  private static float[] weightTable(Plan plan, float[] w, int wOff, float[] table) {
    ConvShape s = plan.s();
    int kk = s.kernelArea();
    int g = plan.g();
    int groups = (s.cout() + g - 1) / g;
    for (int grp = 0; grp < groups; grp++) {
      for (int t = 0; t < kk; t++) {
        for (int q = 0; q < L; q++) {
          int ch = grp * g + Math.min(q / plan.tgt(), g);
          boolean in = q / plan.tgt() < g && ch < s.cout();
          table[(grp * kk + t) * L + q] = in ? w[wOff + ch * kk + t] : 0f;
        }
      }
    }
    return table;
  }

  /** Vector v of one target super-plane: = (forward) or += (backward) the gathered correlation. */
  private static void gatherVector(Plan plan, float[] wt, int wb, int v, float[] src, int sBase, float[] tgt, int tBase) {
    int kk = plan.s().kernelArea();
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    int t = 0;
    for (; t + 2 <= kk; t += 2) {
      a0 = load(plan, src, sBase, t, v, -1).fma(weight(plan, wt, wb, t), a0);
      a1 = load(plan, src, sBase, t + 1, v, -1).fma(weight(plan, wt, wb, t + 1), a1);
    }
    if (t < kk) {
      a0 = load(plan, src, sBase, t, v, -1).fma(weight(plan, wt, wb, t), a0);
    }
    a0 = a0.add(a1);
    VectorMask<Float> store = VectorMask.fromLong(S, plan.tail(v) & 0xFFFFFFFFL);
    int d = tBase + v * L;
    if (plan.back()) {
      a0 = a0.add(FloatVector.fromArray(S, tgt, d, store));
    }
    a0.intoArray(tgt, d, store);
  }

  /** Tap t's weights: broadcast from {@code w[wb + t]} (one channel per plane) or a weight-table row. */
  private static FloatVector weight(Plan plan, float[] wt, int wb, int t) {
    return plan.g() == 1 ? FloatVector.broadcast(S, wt[wb + t]) : FloatVector.fromArray(S, wt, wb + t * L);
  }

  private static FloatVector load(Plan plan, float[] src, int sBase, int t, int v, int groupBits) {
    int bits = plan.mask(t, v) & groupBits;
    if (bits == 0) {
      return FloatVector.zero(S);
    }
    VectorMask<Float> m = VectorMask.fromLong(S, bits & 0xFFFFFFFFL);
    return FloatVector.fromArray(S, src, sBase, plan.idx(), (t * plan.nv() + v) * L, m);
  }

  /** {@link Kernels#depthwiseBackwardWeights}: target = dy, gathered source = x. */
  void backwardWeights(ConvShape s, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff) {
    Plan[] plans = plans(s, false);
    Plan plan = plans[0];
    int g = plan.g();
    int groups = (s.cout() + g - 1) / g;
    int kk = s.kernelArea();
    int minGroups = Math.max(1, MIN_WORK / Math.max(1, s.n() * plan.nv() * L * kk));
    // groups per block: a block's planes of one image make a run of about a page
    int block = Math.max(1, BLOCK_FLOATS / (g * plan.src()));
    parallel.forRange(groups, minGroups, (chunk, from, to) -> {
      float[] acc = workspaces.get().floats(Workspace.TAP_VALUES, (block * kk + 1) * L);
      for (int b0 = from; b0 < to; b0 += block) {
        int b1 = Math.min(to, b0 + block);
        Arrays.fill(acc, 0, (b1 - b0) * kk * L, 0f);
        for (int i = 0; i < s.n(); i++) {
          for (int grp = b0; grp < b1; grp++) {
            Plan p = grp * g + g <= s.cout() ? plan : plans[1];
            int sBase = xOff + (i * s.cin() + grp * g) * plan.src();
            int tBase = dyOff + (i * s.cin() + grp * g) * plan.tgt();
            planeTaps(p, x, sBase, dy, tBase, acc, (grp - b0) * kk * L);
          }
        }
        for (int grp = b0; grp < b1; grp++) {
          int gg = Math.min(g, s.cout() - grp * g);
          for (int t = 0; t < kk; t++) {
            FloatVector sum = FloatVector.fromArray(S, acc, ((grp - b0) * kk + t) * L);
            addTap(plan, sum, gg, t, acc, block * kk * L, dw, dwOff + grp * g * kk);
          }
        }
      }
    });
  }

  /** acc[accOff + t*L ..] += lane-wise, over the plane's vectors, the gathered x of tap t times dy. */
  private static void planeTaps(Plan plan, float[] x, int xBase, float[] dy, int dyBase, float[] acc, int accOff) {
    int kk = plan.s().kernelArea();
    for (int t = 0; t < kk; t++) {
      FloatVector a0 = FloatVector.fromArray(S, acc, accOff + t * L);
      for (int v = 0; v < plan.nv(); v++) {
        VectorMask<Float> in = VectorMask.fromLong(S, plan.tail(v) & 0xFFFFFFFFL);
        a0 = load(plan, x, xBase, t, v, -1).fma(FloatVector.fromArray(S, dy, dyBase + v * L, in), a0);
      }
      a0.intoArray(acc, accOff + t * L);
    }
  }

  /** dw[ch*kk + t] += the lanes of {@code sum} that belong to channel ch of the group. */
  private static void addTap(Plan plan, FloatVector sum, int gg, int t, float[] lanes, int lanesOff, float[] dw, int dwBase) {
    int kk = plan.s().kernelArea();
    if (plan.g() == 1) {
      dw[dwBase + t] += sum.reduceLanes(VectorOperators.ADD);
      return;
    }
    sum.intoArray(lanes, lanesOff);
    for (int k = 0; k < gg; k++) {
      float acc = 0f;
      for (int j = lanesOff + k * plan.tgt(); j < lanesOff + (k + 1) * plan.tgt(); j++) {
        acc += lanes[j];
      }
      dw[dwBase + k * kk + t] += acc;
    }
  }
}
