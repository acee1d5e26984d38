package org.slimj.engine.ops;

import org.slimj.engine.autograd.Context;
import org.slimj.engine.tensor.Shapes;
import org.slimj.engine.tensor.Tensor;

/**
 * The parameter-free ResNet shortcut for CIFAR ("option A", He et al. 2016 §4.2): subsample the
 * input by the stride and append zero channels up to {@code cout}. The identity channels come
 * first, so the shortcut of a slimmed block is the prefix of the full one. A nonuniform
 * configuration may make the block narrower than its input; then the leading {@code cout} input
 * channels pass.
 */
public final class ShortcutPad {
  private ShortcutPad() {}

  /** x [N, cin, H, W] → [N, cout, ceil(H/stride), ceil(W/stride)]. */
  public static Tensor forward(Context ctx, Tensor x, int stride, int cout) {
    Shapes.requireRank(x, 4, "shortcut input");
    int n = x.dim(0);
    int cin = x.dim(1);
    int h = x.dim(2);
    int w = x.dim(3);
    if (stride < 1 || cout < 1) {
      throw new IllegalArgumentException(
          "shortcut: expected stride >= 1 and cout >= 1, found stride " + stride + ", cout " + cout);
    }
    int pass = Math.min(cin, cout);
    int ho = (h - 1) / stride + 1;
    int wo = (w - 1) / stride + 1;
    Tensor y = ctx.newZeroTensor(n, cout, ho, wo);
    float[] xd = x.data();
    float[] yd = y.data();
    int xo = x.offset();
    for (int b = 0; b < n; b++) {
      for (int c = 0; c < pass; c++) {
        int src = xo + (b * cin + c) * h * w;
        int dst = (b * cout + c) * ho * wo;
        for (int i = 0; i < ho; i++) {
          for (int j = 0; j < wo; j++) {
            yd[dst + i * wo + j] = xd[src + i * stride * w + j * stride];
          }
        }
      }
    }
    if (ctx.records(x)) {
      ctx.tape().record(y, dy -> backward(x, dy, stride, cout, ho, wo));
    }
    return y;
  }

  private static void backward(Tensor x, float[] dy, int stride, int cout, int ho, int wo) {
    float[] dx = x.grad();
    int cin = x.dim(1);
    int h = x.dim(2);
    int w = x.dim(3);
    int pass = Math.min(cin, cout);
    for (int b = 0; b < x.dim(0); b++) {
      for (int c = 0; c < pass; c++) {
        int dst = (b * cin + c) * h * w;
        int src = (b * cout + c) * ho * wo;
        for (int i = 0; i < ho; i++) {
          for (int j = 0; j < wo; j++) {
            dx[dst + i * stride * w + j * stride] += dy[src + i * wo + j];
          }
        }
      }
    }
  }
}
