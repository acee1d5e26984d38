package org.slimj.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch-norm kernels over x[n, c, hw]. Statistics and gradients are per channel, so channels are
 * split over the pool; within a channel, each image's plane is summed with float vector lanes and
 * the plane sums are added in double, in image order. The affine map is split over planes. Results
 * do not depend on the thread count.
 */
final class VectorBatchNorm {
  private static final VectorSpecies<Float> S = VectorKernels.SPECIES;
  private static final int L = S.length();

  /** Elements per chunk below which a loop stays on the calling thread. */
  private static final int MIN_WORK = 1 << 15;

  private final Parallel parallel;

  VectorBatchNorm(Parallel parallel) {
    this.parallel = parallel;
  }

  /** {@link Kernels#batchNormStats}. */
  void stats(int n, int c, int hw, float[] x, int xOff, float[] mean, float[] var) {
    parallel.forRange(c, minChannels(n, hw), (chunk, from, to) -> {
      double count = (double) n * hw;
      for (int ch = from; ch < to; ch++) {
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += sum(hw, x, xOff + (i * c + ch) * hw);
        }
        float m = (float) (s / count);
        double ss = 0;
        for (int i = 0; i < n; i++) {
          ss += squaredDeviation(hw, x, xOff + (i * c + ch) * hw, m);
        }
        mean[ch] = m;
        var[ch] = (float) (ss / count);
      }
    });
  }

  /** {@link Kernels#batchNormApply}. */
  void apply(int n, int c, int hw, float[] x, int xOff, float[] scale, float[] shift, float[] y, int yOff) {
    parallel.forRange(n * c, Math.max(1, MIN_WORK / Math.max(1, hw)), (chunk, from, to) -> {
      for (int plane = from; plane < to; plane++) {
        int ch = plane % c;
        affine(hw, x, xOff + plane * hw, scale[ch], shift[ch], y, yOff + plane * hw);
      }
    });
  }

  /** {@link Kernels#batchNormBackward}. */
  void backward(
      int n, int c, int hw, float[] x, int xOff, float[] dy, int dyOff,
      float[] mean, float[] invStd, float[] gamma, int gammaOff,
      float[] dx, int dxOff, float[] dGamma, int dGammaOff, float[] dBeta, int dBetaOff) {
    parallel.forRange(c, minChannels(n, hw), (chunk, from, to) -> {
      double count = (double) n * hw;
      for (int ch = from; ch < to; ch++) {
        double sumDy = 0;
        double sumDyCentered = 0;
        for (int i = 0; i < n; i++) {
          int base = (i * c + ch) * hw;
          sumDy += sum(hw, dy, dyOff + base);
          sumDyCentered += centeredDot(hw, dy, dyOff + base, x, xOff + base, mean[ch]);
        }
        double sumDyXhat = sumDyCentered * invStd[ch];
        dGamma[dGammaOff + ch] += (float) sumDyXhat;
        dBeta[dBetaOff + ch] += (float) sumDy;
        if (dx != null) {
          float k = gamma[gammaOff + ch] * invStd[ch];
          float meanDy = (float) (sumDy / count);
          float slope = -k * invStd[ch] * (float) (sumDyXhat / count);
          for (int i = 0; i < n; i++) {
            int base = (i * c + ch) * hw;
            inputGradient(hw, x, xOff + base, dy, dyOff + base, mean[ch], k, meanDy, slope, dx, dxOff + base);
          }
        }
      }
    });
  }

  private static int minChannels(int n, int hw) {
    return Math.max(1, MIN_WORK / Math.max(1, n * hw));
  }

  /** Sum of x[off .. off+len) with vector lanes, returned as double. */
  private static double sum(int len, float[] x, int off) {
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = s0;
    int i = 0;
    for (; i + 2 * L <= len; i += 2 * L) {
      s0 = s0.add(FloatVector.fromArray(S, x, off + i));
      s1 = s1.add(FloatVector.fromArray(S, x, off + i + L));
    }
    for (; i + L <= len; i += L) {
      s0 = s0.add(FloatVector.fromArray(S, x, off + i));
    }
    double s = LaneSum.of(s0.add(s1));
    for (; i < len; i++) {
      s += x[off + i];
    }
    return s;
  }

  /** Sum of (x - m)^2 over x[off .. off+len). */
  private static double squaredDeviation(int len, float[] x, int off, float m) {
    FloatVector mv = FloatVector.broadcast(S, m);
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = s0;
    int i = 0;
    for (; i + 2 * L <= len; i += 2 * L) {
      FloatVector d0 = FloatVector.fromArray(S, x, off + i).sub(mv);
      FloatVector d1 = FloatVector.fromArray(S, x, off + i + L).sub(mv);
      s0 = d0.fma(d0, s0);
      s1 = d1.fma(d1, s1);
    }
    for (; i + L <= len; i += L) {
      FloatVector d0 = FloatVector.fromArray(S, x, off + i).sub(mv);
      s0 = d0.fma(d0, s0);
    }
    double s = LaneSum.of(s0.add(s1));
    for (; i < len; i++) {
      double d = x[off + i] - m;
      s += d * d;
    }
    return s;
  }

  /** Sum of dy * (x - m). */
  private static double centeredDot(int len, float[] dy, int dyOff, float[] x, int xOff, float m) {
    FloatVector mv = FloatVector.broadcast(S, m);
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = s0;
    int i = 0;
    for (; i + 2 * L <= len; i += 2 * L) {
      FloatVector d0 = FloatVector.fromArray(S, x, xOff + i).sub(mv);
      FloatVector d1 = FloatVector.fromArray(S, x, xOff + i + L).sub(mv);
      s0 = d0.fma(FloatVector.fromArray(S, dy, dyOff + i), s0);
      s1 = d1.fma(FloatVector.fromArray(S, dy, dyOff + i + L), s1);
    }
    for (; i + L <= len; i += L) {
      FloatVector d0 = FloatVector.fromArray(S, x, xOff + i).sub(mv);
      s0 = d0.fma(FloatVector.fromArray(S, dy, dyOff + i), s0);
    }
    double s = LaneSum.of(s0.add(s1));
    for (; i < len; i++) {
      s += dy[dyOff + i] * (x[xOff + i] - m);
    }
    return s;
  }

  /** y = x * scale + shift over len elements. */
  private static void affine(int len, float[] x, int xOff, float scale, float shift, float[] y, int yOff) {
    FloatVector sc = FloatVector.broadcast(S, scale);
    FloatVector sh = FloatVector.broadcast(S, shift);
    int i = 0;
    for (int bound = S.loopBound(len); i < bound; i += L) {
      FloatVector.fromArray(S, x, xOff + i).fma(sc, sh).intoArray(y, yOff + i);
    }
    for (; i < len; i++) {
      y[yOff + i] = x[xOff + i] * scale + shift;
    }
  }

  /** dx += k * (dy - meanDy) + slope * (x - m). */
  private static void inputGradient(
      int len, float[] x, int xOff, float[] dy, int dyOff, float m, float k, float meanDy, float slope,
      float[] dx, int dxOff) {
    FloatVector mv = FloatVector.broadcast(S, m);
    FloatVector kv = FloatVector.broadcast(S, k);
    FloatVector mdy = FloatVector.broadcast(S, meanDy);
    FloatVector sv = FloatVector.broadcast(S, slope);
    int i = 0;
    for (int bound = S.loopBound(len); i < bound; i += L) {
      FloatVector g = FloatVector.fromArray(S, dy, dyOff + i).sub(mdy).mul(kv);
      g = FloatVector.fromArray(S, x, xOff + i).sub(mv).fma(sv, g);
      FloatVector.fromArray(S, dx, dxOff + i).add(g).intoArray(dx, dxOff + i);
    }
    for (; i < len; i++) {
      dx[dxOff + i] += k * (dy[dyOff + i] - meanDy) + slope * (x[xOff + i] - m);
    }
  }
}
