package org.slimj.engine.ops;

import java.util.Arrays;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.ConvShape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Shapes;
import org.slimj.engine.tensor.Tensor;

/**
 * Dense 2-D convolution (groups 1, no bias) on the leading channel prefix of a weight allocated at
 * its maximum size.
 *
 * <p>The weight is {@code [coutMax, cinMax, kh, kw]}; a call at ({@code cin}, {@code cout}) uses
 * {@code weight[:cout, :cin]} in place, passed to the kernels as {@code cout} rows with leading
 * dimension {@code ldw = cinMax * kh * kw}. The active input channels {@code cin} come from the
 * input's shape. Backward writes only into that prefix of the weight gradient.
 */
public final class Conv2d {
  private Conv2d() {}

  /**
   * {@code y[N, cout, Ho, Wo] = conv(x[N, cin, H, W], weight[:cout, :cin, kh, kw])} with the same
   * stride and zero padding on both axes; {@code Ho = (H + 2 pad - kh) / stride + 1}, likewise
   * {@code Wo}.
   *
   * @param ctx kernels and tape (recorded only if {@code x} or {@code weight} needs a gradient)
   * @param x input {@code [N, cin, H, W]} with {@code cin <= cinMax}
   * @param weight weight {@code [coutMax, cinMax, kh, kw]}
   * @param cout active output channels, {@code 1 <= cout <= coutMax}
   * @param stride stride, at least 1
   * @param pad zero padding, at least 0
   * @return a new contiguous tensor {@code [N, cout, Ho, Wo]}
   * @throws IllegalArgumentException if a shape or argument does not fit
   */
  public static Tensor forward(
      Context ctx, Tensor x, Tensor weight, int cout, int stride, int pad) {
    Shapes.requireRank(x, 4, "Conv2d input x [N, cin, H, W]");
    Shapes.requireRank(weight, 4, "Conv2d weight [coutMax, cinMax, kh, kw]");
    Shapes.requireInRange(
        cout, weight.dim(0), "Conv2d cout (active output channels, max = weight.dim(0))");
    Shapes.requireInRange(x.dim(1), weight.dim(1), "Conv2d cin (x.dim(1), max = weight.dim(1))");
    ConvShape s = geometry(x, weight.dim(2), weight.dim(3), cout, stride, pad, "Conv2d");
    int ldw = weight.dim(1) * s.kernelArea();

    Kernels k = ctx.kernels();
    Tensor y = ctx.newTensor(s.n(), cout, s.hout(), s.wout());
    k.conv2dForward(
        s, x.data(), x.offset(), weight.data(), weight.offset(), ldw, y.data(), y.offset());

    if (ctx.records(x, weight)) {
      boolean needX = x.requiresGrad();
      boolean needW = weight.requiresGrad();
      ctx.tape().record(y, dy -> backward(k, s, x, weight, ldw, needX, needW, dy));
    }
    return y;
  }

  /** dx += conv^T(dy, W[:cout, :cin]); dW[:cout, :cin] += corr(x, dy); nothing else is touched. */
  private static void backward(
      Kernels k,
      ConvShape s,
      Tensor x,
      Tensor weight,
      int ldw,
      boolean needX,
      boolean needW,
      float[] dy) {
    if (needX) {
      k.conv2dBackwardData(s, dy, 0, weight.data(), weight.offset(), ldw, x.grad(), 0);
    }
    if (needW) {
      k.conv2dBackwardWeights(s, x.data(), x.offset(), dy, 0, weight.grad(), 0, ldw);
    }
  }

  /** Checks stride, padding and kernel fit, and returns the convolution geometry of {@code x}. */
  static ConvShape geometry(Tensor x, int kh, int kw, int cout, int stride, int pad, String op) {
    if (stride < 1) {
      throw new IllegalArgumentException(op + " stride: expected at least 1, found " + stride);
    }
    if (pad < 0) {
      throw new IllegalArgumentException(op + " pad: expected at least 0, found " + pad);
    }
    int n = x.dim(0);
    int h = x.dim(2);
    int w = x.dim(3);
    if (n < 1 || h < 1 || w < 1) {
      throw new IllegalArgumentException(
          op + " input x: expected N, H, W >= 1, found shape " + Arrays.toString(x.shape()));
    }
    if (h + 2 * pad < kh || w + 2 * pad < kw) {
      throw new IllegalArgumentException(
          op
              + ": expected a kernel of at most the padded input "
              + (h + 2 * pad)
              + "x"
              + (w + 2 * pad)
              + ", found kernel "
              + kh
              + "x"
              + kw);
    }
    return new ConvShape(n, x.dim(1), h, w, cout, kh, kw, stride, pad);
  }
}
