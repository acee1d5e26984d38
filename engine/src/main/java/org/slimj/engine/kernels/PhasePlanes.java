package org.slimj.engine.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Layout that turns a strided, padded convolution of one input plane into flat vector loops (used
 * by depthwise convolutions directly and by dense ones through {@link VirtualIm2col}).
 *
 * <p>The zero-padded input plane ({@code hp x wp}) is split into {@code stride^2} phase planes:
 * phase {@code (ry, rx)} holds the padded elements {@code (stride*i + ry, stride*j + rx)} at row
 * {@code i}, column {@code j}, rows {@link #pitch()} apart. Output {@code (oy, ox)} gets the flat
 * index {@code q = oy*pitch + ox}, and tap {@code (ky, kx)} reads phase {@code (ky%stride,
 * kx%stride)} at {@code q + tapOffset}: a constant shift. So every tap is one contiguous
 * multiply-add over {@code q}, whatever the stride, padding and width; the columns {@code ox >=
 * wout} of each output row are computed and thrown away. For stride 1 there is a single phase: the
 * padded plane.
 *
 * <p>Every buffer used with this layout carries {@link #SLACK} extra floats, written as zeros by
 * {@link #split} and {@link #spread}, so loops over q may finish with a full vector instead of a
 * scalar tail.
 */
final class PhasePlanes {
  /** Extra floats at the end of every buffer: one vector. */
  static final int SLACK = VectorKernels.SPECIES.length();

  private static final VectorSpecies<Float> S = VectorKernels.SPECIES;
  private static final int L = S.length();
  /** Moves the even lanes of a vector to its low half, the odd lanes to its high half. */
  private static final VectorShuffle<Float> EVEN_LANES_LOW =
      VectorShuffle.fromOp(S, i -> i < L / 2 ? 2 * i : 2 * (i - L / 2) + 1);
  /** Moves the odd lanes of a vector to its low half, the even lanes to its high half. */
  private static final VectorShuffle<Float> ODD_LANES_LOW =
      VectorShuffle.fromOp(S, i -> i < L / 2 ? 2 * i + 1 : 2 * (i - L / 2));
  private static final VectorMask<Float> LOW_HALF = S.indexInRange(0, L / 2);
  /** Interleaves the low halves of two vectors (a0 b0 a1 b1 ...): the inverse of the split. */
  private static final VectorShuffle<Float> INTERLEAVE = VectorShuffle.fromOp(S, i -> i % 2 == 0 ? i / 2 : i / 2 - L);

  private final int stride;
  private final int pad;
  private final int h;
  private final int w;
  private final int kh;
  private final int kw;
  private final int ho;
  private final int wo;
  private final int pitch;
  private final int rows;

  PhasePlanes(ConvShape s) {
    stride = s.stride();
    pad = s.pad();
    h = s.h();
    w = s.w();
    kh = s.kh();
    kw = s.kw();
    ho = s.hout();
    wo = s.wout();
    pitch = Math.max(ceilDiv(w + 2 * pad, stride), wo + (kw - 1) / stride);
    rows = Math.max(ceilDiv(h + 2 * pad, stride), ho + (kh - 1) / stride);
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /** Floats between consecutive rows of a phase plane and of the flat output. */
  int pitch() {
    return pitch;
  }

  /** Floats of one phase plane. */
  int planeSize() {
    return rows * pitch;
  }

  /** Floats of all phase planes. */
  int size() {
    return stride * stride * planeSize();
  }

  /** Flat outputs computed per plane: {@code (hout - 1) * pitch + wout}. */
  int outputLength() {
    return (ho - 1) * pitch + wo;
  }

  /** Where tap (ky, kx) reads for output q = 0. */
  int tapOffset(int ky, int kx) {
    return ((ky % stride) * stride + kx % stride) * planeSize() + (ky / stride) * pitch + kx / stride;
  }

  /**
   * Writes the phases of the input plane {@code x[xOff ..]} ({@code h x w}) to {@code buf[bufOff
   * .. bufOff + size())}, and zeros to the slack after it.
   */
  void split(float[] x, int xOff, float[] buf, int bufOff) {
    if (stride == 1) {
      splitUnstrided(x, xOff, buf, bufOff);
      return;
    }
    Arrays.fill(buf, bufOff, bufOff + size() + SLACK, 0f);
    if (stride == 2) {
      splitHalves(x, xOff, buf, bufOff);
    } else {
      splitStrided(x, xOff, buf, bufOff);
    }
  }

  /** Any stride: element by element, one column phase at a time, without divisions in the loops. */
  private void splitStrided(float[] x, int xOff, float[] buf, int bufOff) {
    int plane = planeSize();
    for (int rx = 0; rx < stride; rx++) {
      int ix0 = Math.floorMod(rx - pad, stride);
      int j0 = (ix0 + pad) / stride;
      int ry = pad % stride;
      int i = pad / stride;
      for (int iy = 0; iy < h; iy++) {
        int dst = bufOff + (ry * stride + rx) * plane + i * pitch + j0;
        int src = xOff + iy * w;
        for (int ix = ix0; ix < w; ix += stride) {
          buf[dst++] = x[src + ix];
        }
        if (++ry == stride) {
          ry = 0;
          i++;
        }
      }
    }
  }

  /**
   * Stride 2: each input row is read a vector at a time, its even lanes go to one column phase and
   * its odd lanes to the other (lane parity e lands in phase (e + pad) % 2).
   */
  private void splitHalves(float[] x, int xOff, float[] buf, int bufOff) {
    int plane = planeSize();
    int evenPhase = pad & 1;
    int oddPhase = (pad + 1) & 1;
    for (int iy = 0; iy < h; iy++) {
      int py = iy + pad;
      int row = bufOff + (py & 1) * 2 * plane + (py >> 1) * pitch;
      int even = row + evenPhase * plane + (pad >> 1);
      int odd = row + oddPhase * plane + ((pad + 1) >> 1);
      int src = xOff + iy * w;
      int ix = 0;
      for (; ix + L <= w; ix += L, even += L / 2, odd += L / 2) {
        FloatVector v = FloatVector.fromArray(S, x, src + ix);
        v.rearrange(EVEN_LANES_LOW).intoArray(buf, even, LOW_HALF);
        v.rearrange(ODD_LANES_LOW).intoArray(buf, odd, LOW_HALF);
      }
      for (; ix < w; ix += 2) {
        buf[even++] = x[src + ix];
        if (ix + 1 < w) {
          buf[odd++] = x[src + ix + 1];
        }
      }
    }
  }

  private void splitUnstrided(float[] x, int xOff, float[] buf, int bufOff) {
    Arrays.fill(buf, bufOff, bufOff + pad * pitch, 0f);
    for (int iy = 0; iy < h; iy++) {
      int row = bufOff + (iy + pad) * pitch;
      for (int j = 0; j < pad; j++) {
        buf[row + j] = 0f;
      }
      VectorElementwise.copy(w, x, xOff + iy * w, buf, row + pad);
      for (int j = row + pad + w; j < row + pitch; j++) {
        buf[j] = 0f;
      }
    }
    Arrays.fill(buf, bufOff + (h + pad) * pitch, bufOff + size() + SLACK, 0f);
  }

  /**
   * Writes the output plane {@code y[yOff ..]} ({@code hout x wout}) to {@code buf[bufOff + front
   * ..]} with rows {@link #pitch()} apart, and zeros everywhere else in {@code buf[bufOff .. bufOff +
   * front + length + SLACK)}.
   */
  void spread(float[] y, int yOff, float[] buf, int bufOff, int front, int length) {
    Arrays.fill(buf, bufOff, bufOff + front + length + SLACK, 0f);
    for (int oy = 0; oy < ho; oy++) {
      VectorElementwise.copy(wo, y, yOff + oy * wo, buf, bufOff + front + oy * pitch);
    }
  }

  /** y[oy*wout + ox] = buf[bufOff + oy*pitch + ox]: drops the thrown-away columns. */
  void gather(float[] buf, int bufOff, float[] y, int yOff) {
    for (int oy = 0; oy < ho; oy++) {
      VectorElementwise.copy(wo, buf, bufOff + oy * pitch, y, yOff + oy * wo);
    }
  }

  /** Start of phase (ry, rx) within the planes of one input plane. */
  int phaseOffset(int ry, int rx) {
    return (ry * stride + rx) * planeSize();
  }

  /**
   * dx (the {@code h x w} plane at dxOff) += the input part of all phase planes at {@code
   * buf[bufOff ..]} ({@link #size()} floats and slack): the adjoint of {@link #split}.
   */
  void addAll(float[] buf, int bufOff, float[] dx, int dxOff) {
    if (stride == 2) {
      addHalves(buf, bufOff, dx, dxOff);
      return;
    }
    for (int ry = 0; ry < stride; ry++) {
      for (int rx = 0; rx < stride; rx++) {
        addPhase(ry, rx, buf, bufOff + phaseOffset(ry, rx), dx, dxOff);
      }
    }
  }

  /** Stride 2: each dx row gets its two column phases interleaved a vector at a time. */
  private void addHalves(float[] buf, int bufOff, float[] dx, int dxOff) {
    int plane = planeSize();
    int evenPhase = pad & 1;
    int oddPhase = (pad + 1) & 1;
    for (int iy = 0; iy < h; iy++) {
      int py = iy + pad;
      int row = bufOff + (py & 1) * 2 * plane + (py >> 1) * pitch;
      int even = row + evenPhase * plane + (pad >> 1);
      int odd = row + oddPhase * plane + ((pad + 1) >> 1);
      int dst = dxOff + iy * w;
      int ix = 0;
      for (; ix + L <= w; ix += L, even += L / 2, odd += L / 2) {
        FloatVector evens = FloatVector.fromArray(S, buf, even);
        FloatVector both = evens.rearrange(INTERLEAVE, FloatVector.fromArray(S, buf, odd));
        FloatVector.fromArray(S, dx, dst + ix).add(both).intoArray(dx, dst + ix);
      }
      for (; ix < w; ix += 2) {
        dx[dst + ix] += buf[even++];
        if (ix + 1 < w) {
          dx[dst + ix + 1] += buf[odd++];
        }
      }
    }
  }

  /**
   * dx[iy, ix] += the phase-(ry, rx) plane at {@code buf[bufOff ..]} (rows pitch apart), where it
   * maps inside x.
   */
  void addPhase(int ry, int rx, float[] buf, int bufOff, float[] dx, int dxOff) {
    int iy0 = Math.floorMod(ry - pad, stride);
    int ix0 = Math.floorMod(rx - pad, stride);
    int j0 = (ix0 + pad) / stride;
    for (int iy = iy0, i = (iy0 + pad) / stride; iy < h; iy += stride, i++) {
      int src = bufOff + i * pitch + j0;
      int dst = dxOff + iy * w;
      if (stride == 1) {
        VectorElementwise.addInto(w, buf, src, dx, dst);
      } else {
        for (int ix = ix0; ix < w; ix += stride) {
          dx[dst + ix] += buf[src++];
        }
      }
    }
  }

  /** Stride of the convolution. */
  int stride() {
    return stride;
  }
}
