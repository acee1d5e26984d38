package org.slimj.engine.ops;

import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Shapes;
import org.slimj.engine.tensor.Tensor;

/**
 * Fully connected layer on the leading prefix of a weight allocated at its maximum size: {@code y =
 * x W[:out, :in]^T + b[:out]}.
 *
 * <p>The weight {@code [outMax, inMax]} is passed to GEMM with leading dimension {@code inMax}, so
 * the prefix is used in place. Backward writes only into {@code dW[:out, :in]} and {@code
 * db[:out]}.
 */
public final class Linear {
  private Linear() {}

  /**
   * {@code y[N, out] = x[N, in] . weight[:out, :in]^T + bias[:out]}.
   *
   * @param ctx kernels and tape (recorded only if an input needs a gradient)
   * @param x input {@code [N, in]} with {@code in <= inMax}
   * @param weight weight {@code [outMax, inMax]}
   * @param bias bias {@code [outMax]}, or null for none
   * @param out active outputs, {@code 1 <= out <= outMax}
   * @return a new contiguous tensor {@code [N, out]}
   * @throws IllegalArgumentException if a shape or argument does not fit
   */
  public static Tensor forward(Context ctx, Tensor x, Tensor weight, Tensor bias, int out) {
    Shapes.requireRank(x, 2, "Linear input x [N, in]");
    Shapes.requireRank(weight, 2, "Linear weight [outMax, inMax]");
    int outMax = weight.dim(0);
    int inMax = weight.dim(1);
    Shapes.requireInRange(out, outMax, "Linear out (active outputs, max = weight.dim(0))");
    int in = x.dim(1);
    Shapes.requireInRange(in, inMax, "Linear in (x.dim(1), max = weight.dim(1))");
    if (bias != null) {
      Shapes.requireShape(bias, "Linear bias [outMax]", outMax);
    }
    int n = x.dim(0);
    if (n < 1) {
      throw new IllegalArgumentException("Linear input x: expected N >= 1, found N = " + n);
    }

    Kernels k = ctx.kernels();
    Tensor y = ctx.newTensor(n, out);
    k.sgemm(
        false,
        true,
        n,
        out,
        in,
        1f,
        x.data(),
        x.offset(),
        in,
        weight.data(),
        weight.offset(),
        inMax,
        0f,
        y.data(),
        y.offset(),
        out);
    if (bias != null) {
      k.addRowVector(n, out, bias.data(), bias.offset(), y.data(), y.offset());
    }

    if (ctx.records(x, weight, bias)) {
      boolean needX = x.requiresGrad();
      boolean needW = weight.requiresGrad();
      boolean needB = bias != null && bias.requiresGrad();
      ctx.tape().record(y, dy -> backward(k, n, in, out, x, weight, bias, needX, needW, needB, dy));
    }
    return y;
  }

  /** dx += dy . W[:out, :in]; dW[:out, :in] += dy^T . x; db[:out] += column sums of dy. */
  private static void backward(
      Kernels k,
      int n,
      int in,
      int out,
      Tensor x,
      Tensor weight,
      Tensor bias,
      boolean needX,
      boolean needW,
      boolean needB,
      float[] dy) {
    int inMax = weight.dim(1);
    if (needX) {
      k.sgemm(
          false,
          false,
          n,
          in,
          out,
          1f,
          dy,
          0,
          out,
          weight.data(),
          weight.offset(),
          inMax,
          1f,
          x.grad(),
          0,
          in);
    }
    if (needW) {
      k.sgemm(
          true,
          false,
          out,
          in,
          n,
          1f,
          dy,
          0,
          out,
          x.data(),
          x.offset(),
          in,
          1f,
          weight.grad(),
          0,
          inMax);
    }
    if (needB) {
      k.sumRows(n, out, dy, 0, bias.grad(), 0);
    }
  }
}
