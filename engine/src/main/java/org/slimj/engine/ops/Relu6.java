package org.slimj.engine.ops;

import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Tensor;

/**
 * ReLU clipped at 6, {@code y = min(max(x, 0), 6)}; the gradient passes where {@code 0 < x < 6}.
 */
public final class Relu6 {
  private Relu6() {}

  /**
   * {@code y = min(max(x, 0), 6)} element-wise.
   *
   * @param ctx kernels and tape (recorded only if {@code x} needs a gradient)
   * @param x input of any shape
   * @return a new contiguous tensor shaped like {@code x}
   */
  public static Tensor forward(Context ctx, Tensor x) {
    Kernels k = ctx.kernels();
    Tensor y = ctx.newTensor(x.shape());
    k.relu6(x.size(), x.data(), x.offset(), y.data(), y.offset());
    if (ctx.records(x)) {
      ctx.tape().record(y, dy -> backward(k, x, dy));
    }
    return y;
  }

  /** dx += dy where 0 < x < 6. */
  private static void backward(Kernels k, Tensor x, float[] dy) {
    k.relu6Backward(x.size(), x.data(), x.offset(), dy, 0, x.grad(), 0);
  }
}
