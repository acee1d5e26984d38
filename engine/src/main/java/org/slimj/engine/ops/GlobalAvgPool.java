package org.slimj.engine.ops;

import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Shapes;
import org.slimj.engine.tensor.Tensor;

/** Global average pooling: the mean over the spatial positions of each (sample, channel). */
public final class GlobalAvgPool {
  private GlobalAvgPool() {}

  /**
   * {@code y[n, c] = mean over (h, w) of x[n, c, h, w]}.
   *
   * @param ctx kernels and tape (recorded only if {@code x} needs a gradient)
   * @param x input {@code [N, C, H, W]} with {@code H * W >= 1}
   * @return a new tensor {@code [N, C]}
   * @throws IllegalArgumentException if {@code x} is not rank 4 or has no spatial positions
   */
  public static Tensor forward(Context ctx, Tensor x) {
    Shapes.requireRank(x, 4, "GlobalAvgPool input x [N, C, H, W]");
    int rows = x.dim(0) * x.dim(1);
    int hw = x.dim(2) * x.dim(3);
    if (hw < 1) {
      throw new IllegalArgumentException(
          "GlobalAvgPool input x: expected H * W >= 1, found " + x.dim(2) + " x " + x.dim(3));
    }
    Kernels k = ctx.kernels();
    Tensor y = ctx.newTensor(x.dim(0), x.dim(1));
    k.globalAvgPool(rows, hw, x.data(), x.offset(), y.data(), y.offset());
    if (ctx.records(x)) {
      ctx.tape().record(y, dy -> backward(k, rows, hw, x, dy));
    }
    return y;
  }

  /** dx[n, c, :, :] += dy[n, c] / (H * W). */
  private static void backward(Kernels k, int rows, int hw, Tensor x, float[] dy) {
    k.globalAvgPoolBackward(rows, hw, dy, 0, x.grad(), 0);
  }
}
