package org.slimj.engine.ops;

import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Shapes;
import org.slimj.engine.tensor.Tensor;

/**
 * Element-wise sum of two tensors of the same shape (the residual add). The same tensor may be
 * passed twice: its gradient then receives {@code dy} twice.
 */
public final class Add {
  private Add() {}

  /**
   * {@code y = a + b}.
   *
   * @param ctx kernels and tape (recorded only if {@code a} or {@code b} needs a gradient)
   * @param a first operand
   * @param b second operand, same shape as {@code a}
   * @return a new contiguous tensor shaped like {@code a}
   * @throws IllegalArgumentException if the shapes differ
   */
  public static Tensor forward(Context ctx, Tensor a, Tensor b) {
    Shapes.requireShape(b, "Add second operand b (must match a)", a.shape());
    Kernels k = ctx.kernels();
    Tensor y = ctx.newTensor(a.shape());
    k.add(a.size(), a.data(), a.offset(), b.data(), b.offset(), y.data(), y.offset());
    if (ctx.records(a, b)) {
      boolean needA = a.requiresGrad();
      boolean needB = b.requiresGrad();
      ctx.tape().record(y, dy -> backward(k, a, b, needA, needB, dy));
    }
    return y;
  }

  /** da += dy; db += dy. */
  private static void backward(
      Kernels k, Tensor a, Tensor b, boolean needA, boolean needB, float[] dy) {
    if (needA) {
      k.axpy(a.size(), 1f, dy, 0, a.grad(), 0);
    }
    if (needB) {
      k.axpy(b.size(), 1f, dy, 0, b.grad(), 0);
    }
  }
}
