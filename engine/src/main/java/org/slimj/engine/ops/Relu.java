package org.slimj.engine.ops;

import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Tensor;

/** Rectified linear unit {@code y = max(x, 0)}; the gradient passes where {@code x > 0}. */
public final class Relu {
  private Relu() {}

  /**
   * {@code y = max(x, 0)} element-wise.
   *
   * @param ctx kernels and tape (recorded only if {@code x} needs a gradient)
   * @param x input of any shape
   * @return a new contiguous tensor shaped like {@code x}
   */
  public static Tensor forward(Context ctx, Tensor x) {
    Kernels k = ctx.kernels();
    Tensor y = ctx.newTensor(x.shape());
    k.relu(x.size(), x.data(), x.offset(), y.data(), y.offset());
    if (ctx.records(x)) {
      ctx.tape().record(y, dy -> backward(k, x, dy));
    }
    return y;
  }

  /**
   * As {@link #forward}, writing over {@code x}: for an {@code x} that nothing else reads, such as
   * the fresh output of a convolution unit. Training then keeps one activation less per unit; the
   * backward pass reads the clipped values, whose mask y > 0 is that of x, so the
   * gradient is the same bit for bit.
   *
   * @return a view of {@code x}'s buffer holding the result
   */
  public static Tensor forwardInPlace(Context ctx, Tensor x) {
    Kernels k = ctx.kernels();
    k.relu(x.size(), x.data(), x.offset(), x.data(), x.offset());
    Tensor y = Tensor.view(x.data(), x.offset(), x.shape());
    if (ctx.records(x)) {
      ctx.tape().record(y, dy -> backward(k, x, dy));
    }
    return y;
  }

  /** dx += dy where x > 0. */
  private static void backward(Kernels k, Tensor x, float[] dy) {
    k.reluBackward(x.size(), x.data(), x.offset(), dy, 0, x.grad(), 0);
  }
}
