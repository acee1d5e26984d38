package org.slimj.engine.kernels;

import java.util.Arrays;

/**
 * The im2col matrix of one image, never written out. Each input channel is split once into its
 * {@link PhasePlanes}; row {@code (c*kh + ky)*kw + kx} of the matrix is then the slice of channel
 * c's planes that starts at {@link PhasePlanes#tapOffset}, and column {@code q = oy*pitch + ox} is
 * output pixel (oy, ox) in the planes' pitch (columns with {@code ox >= wout} are computed and
 * dropped). The GEMM reads these slices through a table of row starts ({@link GemmOperand}):
 * packed into panels when the matrix is B, in place when it is A.
 *
 * <p>So a convolution is {@code Y' = W * B} ({@code cout x cols()}, then {@link #gather} drops the
 * extra columns); its data gradient is {@code W^T * dY'} scattered back with {@link
 * #addColumns} and {@link #addPlanes}; its weight gradient is {@code dY' * B^T} (or its
 * transpose), where {@code dY'} ({@link #spread}) is zero in the extra columns, so they add nothing.
 */
final class VirtualIm2col {
  private final ConvShape s;
  private final PhasePlanes pp;

  VirtualIm2col(ConvShape s) {
    this.s = s;
    this.pp = new PhasePlanes(s);
  }

  /** Rows of the matrix: {@code cin * kh * kw}. */
  int rows() {
    return s.cin() * s.kernelArea();
  }

  /** Columns of the matrix (and of Y', dY'): output pixels in plane pitch. */
  int cols() {
    return pp.outputLength();
  }

  /** Floats of the phase planes of one image, slack included. */
  int planesSize() {
    return s.cin() * pp.size() + PhasePlanes.SLACK;
  }

  /** Floats of a {@code rows x cols()} matrix in pitch layout, slack included. */
  int matrixSize(int rows) {
    return rows * cols() + PhasePlanes.SLACK;
  }

  /** Fills {@code table[0 .. rows())} with the start of each matrix row in the planes buffer. */
  int[] rowStarts(int[] table) {
    int row = 0;
    for (int c = 0; c < s.cin(); c++) {
      for (int ky = 0; ky < s.kh(); ky++) {
        for (int kx = 0; kx < s.kw(); kx++) {
          table[row++] = c * pp.size() + pp.tapOffset(ky, kx);
        }
      }
    }
    return table;
  }

  /** Splits every channel of the image {@code x[xOff ..]} into its phase planes in {@code planes}. */
  void split(float[] x, int xOff, float[] planes) {
    for (int c = 0; c < s.cin(); c++) {
      pp.split(x, xOff + c * s.h() * s.w(), planes, c * pp.size());
    }
  }

  /** y (cout x hout x wout at yOff) = Y' ({@code cout x cols()}) without the extra columns. */
  void gather(float[] yp, float[] y, int yOff) {
    for (int o = 0; o < s.cout(); o++) {
      pp.gather(yp, o * cols(), y, yOff + o * s.hout() * s.wout());
    }
  }

  /** dY' ({@code cout x cols()}) = dy (at dyOff) in pitch layout, zero in the extra columns. */
  void spread(float[] dy, int dyOff, float[] dyp) {
    for (int o = 0; o < s.cout(); o++) {
      pp.spread(dy, dyOff + o * s.hout() * s.wout(), dyp, o * cols(), 0, cols());
    }
  }

  /**
   * Rows {@code [o0, o0 + count)} of dY' (dy of one image at dyOff) into {@code dyp} from 0, rows
   * {@code ld >= cols()} apart, zero past each row's pixels.
   */
  void spreadRows(float[] dy, int dyOff, int o0, int count, float[] dyp, int ld) {
    for (int o = 0; o < count; o++) {
      pp.spread(dy, dyOff + (o0 + o) * s.hout() * s.wout(), dyp, o * ld, 0, cols());
    }
  }

  /** grad planes = the adjoint of the virtual matrix applied to dcol ({@code rows() x cols()}). */
  void addColumns(float[] dcol, int[] table, float[] grad) {
    Arrays.fill(grad, 0, planesSize(), 0f);
    for (int r = 0; r < rows(); r++) {
      VectorElementwise.addInto(cols(), dcol, r * cols(), grad, table[r]);
    }
  }

  /** dx (image at dxOff) += the input-plane part of the gradient planes. */
  void addPlanes(float[] grad, float[] dx, int dxOff) {
    for (int c = 0; c < s.cin(); c++) {
      pp.addAll(grad, c * pp.size(), dx, dxOff + c * s.h() * s.w());
    }
  }
}
