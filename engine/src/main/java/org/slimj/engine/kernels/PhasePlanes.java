package org.slimj.engine.kernels;

import java.util.Arrays;

/**
 * Layout that turns a strided, padded depthwise convolution of one plane into flat vector loops.
 *
 * <p>The zero-padded input plane ({@code hp x wp}) is split into {@code stride^2} phase planes:
 * phase {@code (ry, rx)} holds the padded elements {@code (stride*i + ry, stride*j + rx)} at row
 * {@code i}, column {@code j}, rows {@link #pitch()} apart. Output {@code (oy, ox)} gets the flat
 * index {@code q = oy*pitch + ox}, and tap {@code (ky, kx)} reads phase {@code (ky%stride,
 * kx%stride)} at {@code q + tapOffset}: a constant shift. So every tap is one contiguous
 * multiply-add over {@code q}, whatever the stride, padding and width; the columns {@code ox >=
 * wout} of each output row are computed and thrown away. For stride 1 there is a single phase: the
 * padded plane.
 */
final class PhasePlanes {
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

  /** Writes the phases of the input plane {@code x[xOff ..]} ({@code h x w}) to {@code buf[0 .. size())}. */
  void split(float[] x, int xOff, float[] buf) {
    if (stride == 1) {
      splitUnstrided(x, xOff, buf);
      return;
    }
    Arrays.fill(buf, 0, size(), 0f);
    int plane = planeSize();
    for (int iy = 0; iy < h; iy++) {
      int py = iy + pad;
      int rowBase = (py % stride) * stride * plane + (py / stride) * pitch;
      int src = xOff + iy * w;
      for (int ix = 0; ix < w; ix++) {
        int px = ix + pad;
        buf[rowBase + (px % stride) * plane + px / stride] = x[src + ix];
      }
    }
  }

  private void splitUnstrided(float[] x, int xOff, float[] buf) {
    Arrays.fill(buf, 0, pad * pitch, 0f);
    for (int iy = 0; iy < h; iy++) {
      int row = (iy + pad) * pitch;
      Arrays.fill(buf, row, row + pad, 0f);
      System.arraycopy(x, xOff + iy * w, buf, row + pad, w);
      Arrays.fill(buf, row + pad + w, row + pitch, 0f);
    }
    Arrays.fill(buf, (h + pad) * pitch, size(), 0f);
  }

  /**
   * Writes the output plane {@code y[yOff ..]} ({@code hout x wout}) to {@code buf[front ..]} with
   * rows {@link #pitch()} apart, and zeros everywhere else in {@code buf[0 .. front + length)}.
   */
  void spread(float[] y, int yOff, float[] buf, int front, int length) {
    Arrays.fill(buf, 0, front + length, 0f);
    for (int oy = 0; oy < ho; oy++) {
      System.arraycopy(y, yOff + oy * wo, buf, front + oy * pitch, wo);
    }
  }

  /** y[oy*wout + ox] = buf[oy*pitch + ox]: drops the thrown-away columns. */
  void gather(float[] buf, float[] y, int yOff) {
    for (int oy = 0; oy < ho; oy++) {
      System.arraycopy(buf, oy * pitch, y, yOff + oy * wo, wo);
    }
  }

  /** dx[iy, ix] += phase (ry, rx) of {@code buf} (one plane, rows pitch apart) where it maps inside x. */
  void addPhase(int ry, int rx, float[] buf, float[] dx, int dxOff) {
    int iy0 = Math.floorMod(ry - pad, stride);
    int ix0 = Math.floorMod(rx - pad, stride);
    for (int iy = iy0; iy < h; iy += stride) {
      int src = ((iy + pad) / stride) * pitch;
      int dst = dxOff + iy * w;
      if (stride == 1) {
        VectorElementwise.addInto(w, buf, src + pad, dx, dst);
      } else {
        for (int ix = ix0; ix < w; ix += stride) {
          dx[dst + ix] += buf[src + (ix + pad) / stride];
        }
      }
    }
  }

  /** Stride of the convolution. */
  int stride() {
    return stride;
  }
}
