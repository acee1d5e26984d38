package org.slimj.engine.kernels;

import java.util.Arrays;

/**
 * The im2col matrix of one image and its adjoint. For a convolution of shape {@code s}, the matrix
 * has {@code K = cin*kh*kw} rows and {@code P = hout*wout} columns: row {@code (c*kh + ky)*kw + kx},
 * column {@code oy*wout + ox} holds {@code x[c, oy*stride - pad + ky, ox*stride - pad + kx]}, or 0
 * where that falls in the padding. Rows come in the order of a dense weight row, so the
 * convolution of one image is {@code W (cout x K) * col (K x P)}.
 */
final class Im2col {
  private Im2col() {}

  /** Rows of the matrix ({@code cin*kh*kw}). */
  static int rows(ConvShape s) {
    return s.cin() * s.kernelArea();
  }

  /** Columns of the matrix ({@code hout*wout}). */
  static int cols(ConvShape s) {
    return s.hout() * s.wout();
  }

  /** Writes the matrix of the image at {@code x[xOff]} to {@code col[0 .. K*P)} (overwrites). */
  static void im2col(ConvShape s, float[] x, int xOff, float[] col) {
    int wo = s.wout();
    int p = cols(s);
    int row = 0;
    for (int c = 0; c < s.cin(); c++) {
      int plane = xOff + c * s.h() * s.w();
      for (int ky = 0; ky < s.kh(); ky++) {
        for (int kx = 0; kx < s.kw(); kx++, row += p) {
          for (int oy = 0; oy < s.hout(); oy++) {
            int iy = oy * s.stride() - s.pad() + ky;
            int dst = row + oy * wo;
            if (iy < 0 || iy >= s.h()) {
              Arrays.fill(col, dst, dst + wo, 0f);
            } else {
              gatherRow(s, kx, x, plane + iy * s.w(), col, dst);
            }
          }
        }
      }
    }
  }

  /** col[dst + ox] = x[src + ox*stride - pad + kx], 0 where that is outside the input row. */
  private static void gatherRow(ConvShape s, int kx, float[] x, int src, float[] col, int dst) {
    int lo = firstInside(s, kx);
    int hi = endInside(s, kx);
    int wo = s.wout();
    if (hi <= lo) {
      Arrays.fill(col, dst, dst + wo, 0f);
      return;
    }
    Arrays.fill(col, dst, dst + lo, 0f);
    Arrays.fill(col, dst + hi, dst + wo, 0f);
    int shift = src - s.pad() + kx;
    if (s.stride() == 1) {
      System.arraycopy(x, shift + lo, col, dst + lo, hi - lo);
    } else {
      for (int ox = lo; ox < hi; ox++) {
        col[dst + ox] = x[shift + ox * s.stride()];
      }
    }
  }

  /**
   * dx (image at {@code dxOff}) += the adjoint of {@link #im2col} applied to {@code col}: each
   * matrix entry is added to the input element it was read from.
   */
  static void col2imAdd(ConvShape s, float[] col, float[] dx, int dxOff) {
    int wo = s.wout();
    int p = cols(s);
    int row = 0;
    for (int c = 0; c < s.cin(); c++) {
      int plane = dxOff + c * s.h() * s.w();
      for (int ky = 0; ky < s.kh(); ky++) {
        for (int kx = 0; kx < s.kw(); kx++, row += p) {
          for (int oy = 0; oy < s.hout(); oy++) {
            int iy = oy * s.stride() - s.pad() + ky;
            if (iy >= 0 && iy < s.h()) {
              scatterRow(s, kx, col, row + oy * wo, dx, plane + iy * s.w());
            }
          }
        }
      }
    }
  }

  private static void scatterRow(ConvShape s, int kx, float[] col, int src, float[] dx, int dst) {
    int lo = firstInside(s, kx);
    int hi = endInside(s, kx);
    int shift = dst - s.pad() + kx;
    if (s.stride() == 1) {
      if (hi > lo) {
        VectorElementwise.addInto(hi - lo, col, src + lo, dx, shift + lo);
      }
    } else {
      for (int ox = lo; ox < hi; ox++) {
        dx[shift + ox * s.stride()] += col[src + ox];
      }
    }
  }

  /** First output column whose tap {@code kx} reads inside the input row. */
  private static int firstInside(ConvShape s, int kx) {
    int need = s.pad() - kx;
    return need <= 0 ? 0 : Math.min(s.wout(), (need + s.stride() - 1) / s.stride());
  }

  /** One past the last output column whose tap {@code kx} reads inside the input row. */
  private static int endInside(ConvShape s, int kx) {
    int lastIx = s.w() - 1 + s.pad() - kx;
    return lastIx < 0 ? 0 : Math.min(s.wout(), lastIx / s.stride() + 1);
  }
}
