package org.slimj.engine.ops;

import java.util.Arrays;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.ConvShape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Shapes;
import org.slimj.engine.tensor.Tensor;

/**
 * Depthwise 2-D convolution (one filter per channel, no bias) on the leading channels of a weight
 * allocated at its maximum size.
 *
 * <p>The weight is {@code [cMax, 1, kh, kw]}; a call on {@code C} channels uses filters {@code [0,
 * C)} in place. Backward writes only into those filters of the weight gradient.
 */
public final class DepthwiseConv2d {
  private DepthwiseConv2d() {}

  /**
   * {@code y[N, C, Ho, Wo]}: channel {@code c} of {@code x} convolved with {@code weight[c, 0]},
   * same stride and zero padding on both axes.
   *
   * @param ctx kernels and tape (recorded only if {@code x} or {@code weight} needs a gradient)
   * @param x input {@code [N, C, H, W]} with {@code C <= cMax}
   * @param weight weight {@code [cMax, 1, kh, kw]}
   * @param stride stride, at least 1
   * @param pad zero padding, at least 0
   * @return a new contiguous tensor {@code [N, C, Ho, Wo]}
   * @throws IllegalArgumentException if a shape or argument does not fit
   */
  public static Tensor forward(Context ctx, Tensor x, Tensor weight, int stride, int pad) {
    Shapes.requireRank(x, 4, "DepthwiseConv2d input x [N, C, H, W]");
    Shapes.requireRank(weight, 4, "DepthwiseConv2d weight [cMax, 1, kh, kw]");
    if (weight.dim(1) != 1) {
      throw new IllegalArgumentException(
          "DepthwiseConv2d weight [cMax, 1, kh, kw]: expected dim 1 = 1, found shape "
              + Arrays.toString(weight.shape()));
    }
    int c = x.dim(1);
    Shapes.requireInRange(
        c, weight.dim(0), "DepthwiseConv2d channels (x.dim(1), max = weight.dim(0))");
    ConvShape s =
        Conv2d.geometry(x, weight.dim(2), weight.dim(3), c, stride, pad, "DepthwiseConv2d");

    Kernels k = ctx.kernels();
    Tensor y = ctx.newTensor(s.n(), c, s.hout(), s.wout());
    k.depthwiseForward(
        s, x.data(), x.offset(), weight.data(), weight.offset(), y.data(), y.offset());

    if (ctx.records(x, weight)) {
      boolean needX = x.requiresGrad();
      boolean needW = weight.requiresGrad();
      ctx.tape().record(y, dy -> backward(k, s, x, weight, needX, needW, dy));
    }
    return y;
  }

  /** dx += dwconv^T(dy, W[:C]); dW[:C] += per-channel corr(x, dy). */
  private static void backward(
      Kernels k, ConvShape s, Tensor x, Tensor weight, boolean needX, boolean needW, float[] dy) {
    if (needX) {
      k.depthwiseBackwardData(s, dy, 0, weight.data(), weight.offset(), x.grad(), 0);
    }
    if (needW) {
      k.depthwiseBackwardWeights(s, x.data(), x.offset(), dy, 0, weight.grad(), 0);
    }
  }
}
