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

  /**
   * As {@link #forward}, writing over {@code x}: for an {@code x} that nothing else reads, such as
   * the fresh output of a convolution unit. Training then keeps one activation less per unit; the
   * backward pass reads the clipped values, whose mask {@code 0 < y < 6} is that of x (y = x there, 0 or 6 elsewhere), so the
   * gradient is the same bit for bit.
   *
   * @return a view of {@code x}'s buffer holding the result
   */
  public static Tensor forwardInPlace(Context ctx, Tensor x) {
    Kernels k = ctx.kernels();
    k.relu6(x.size(), x.data(), x.offset(), x.data(), x.offset());
    Tensor y = Tensor.view(x.data(), x.offset(), x.shape());
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
