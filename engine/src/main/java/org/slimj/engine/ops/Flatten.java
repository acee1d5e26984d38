package org.slimj.engine.ops;

import java.util.Arrays;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Shapes;
import org.slimj.engine.tensor.Tensor;

/**
 * Reshapes {@code [N, d1, d2, ...]} to {@code [N, d1 * d2 * ...]}. The output is a view sharing the
 * input's data (no copy); its gradient is passed back to the input unchanged.
 */
public final class Flatten {
  private Flatten() {}

  /**
   * A view of {@code x} as {@code [N, rest]}.
   *
   * @param ctx kernels and tape (recorded only if {@code x} needs a gradient)
   * @param x input of rank at least 2
   * @return a new tensor object {@code [N, rest]} sharing {@code x}'s data
   * @throws IllegalArgumentException if {@code x} has rank below 2
   */
  public static Tensor forward(Context ctx, Tensor x) {
    if (x.rank() < 2) {
      throw new IllegalArgumentException(
          "Flatten input x: expected rank >= 2 [N, ...], found shape "
              + Arrays.toString(x.shape()));
    }
    int[] shape = x.shape();
    int n = shape[0];
    int rest = Shapes.volume(Arrays.copyOfRange(shape, 1, shape.length));
    Tensor y = Tensor.view(x.data(), x.offset(), n, rest);
    if (ctx.records(x)) {
      Kernels k = ctx.kernels();
      ctx.tape().record(y, dy -> backward(k, x, dy));
    }
    return y;
  }

  /** dx += dy (same element order). */
  private static void backward(Kernels k, Tensor x, float[] dy) {
    k.axpy(x.size(), 1f, dy, 0, x.grad(), 0);
  }
}
