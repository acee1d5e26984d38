package org.slimj.engine.ops;

import java.util.random.RandomGenerator;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Tensor;

/**
 * Inverted dropout: in training mode each element is zeroed with probability {@code p} and the
 * survivors are scaled by {@code 1 / (1 - p)}, so evaluation needs no rescaling. The mask is drawn
 * from {@link Context#requireRng()}, one draw per element in order, so a seeded generator gives a
 * reproducible mask.
 */
public final class Dropout {
  private Dropout() {}

  /**
   * Inverted dropout of {@code x}.
   *
   * @param ctx kernels, tape, mode and random generator
   * @param x input of any shape
   * @param p drop probability, {@code 0 <= p < 1}
   * @return {@code x} itself when {@code ctx} is not in training mode or {@code p == 0}; else a new
   *     tensor {@code x * mask}
   * @throws IllegalArgumentException if {@code p} is outside {@code [0, 1)}
   * @throws IllegalStateException if a mask is needed and the context has no random generator
   */
  public static Tensor forward(Context ctx, Tensor x, float p) {
    if (!(p >= 0f && p < 1f)) {
      throw new IllegalArgumentException("Dropout p: expected a value in [0, 1), found " + p);
    }
    if (!ctx.training() || p == 0f) {
      return x;
    }
    RandomGenerator rng = ctx.requireRng();
    int n = x.size();
    float keep = 1f / (1f - p);
    float[] mask = new float[n];
    for (int i = 0; i < n; i++) {
      mask[i] = rng.nextFloat() < p ? 0f : keep;
    }
    Kernels k = ctx.kernels();
    Tensor y = ctx.newTensor(x.shape());
    k.multiply(n, x.data(), x.offset(), mask, 0, y.data(), y.offset());
    if (ctx.records(x)) {
      ctx.tape().record(y, dy -> backward(k, x, mask, dy));
    }
    return y;
  }

  /** dx += dy * mask. */
  private static void backward(Kernels k, Tensor x, float[] mask, float[] dy) {
    k.multiplyAdd(x.size(), dy, 0, mask, 0, x.grad(), 0);
  }
}
