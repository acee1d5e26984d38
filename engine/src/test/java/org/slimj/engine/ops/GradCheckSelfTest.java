package org.slimj.engine.ops;

import org.slimj.engine.TestBackends;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Tensor;

/** The checker must catch wrong gradients: these deliberately broken ops have to fail it. */
class GradCheckSelfTest {
  private final Kernels k = TestBackends.scalar();

  /** y = 2 x, with a backward that adds {@code factor * dy} to dx. */
  private static Tensor scaleByTwo(Context ctx, Tensor x, float factor) {
    Tensor y = Tensor.zeros(x.shape());
    ctx.kernels().axpy(x.size(), 2f, x.data(), x.offset(), y.data(), 0);
    if (ctx.records(x)) {
      ctx.tape().record(y, dy -> ctx.kernels().axpy(x.size(), factor, dy, 0, x.grad(), 0));
    }
    return y;
  }

  @Test
  void acceptsACorrectGradient() {
    Tensor x = TestData.leaf(1, 3, 4);
    GradCheck.check("y = 2x", k, 1, ctx -> scaleByTwo(ctx, x, 2f), x);
  }

  @Test
  void catchesAWrongGradient() {
    Tensor x = TestData.leaf(2, 3, 4);
    var e =
        assertThrows(
            AssertionFailedError.class,
            () ->
                GradCheck.check(
                    "y = 2x, backward 2.02", k, 2, ctx -> scaleByTwo(ctx, x, 2.02f), x));
    assertTrue(
        e.getMessage().contains("seed 2") && e.getMessage().contains("index"), e.getMessage());
  }

  @Test
  void catchesAMissingGradient() {
    Tensor x = TestData.leaf(3, 5);
    assertThrows(
        AssertionFailedError.class,
        () -> GradCheck.check("y = 2x, no backward", k, 3, ctx -> scaleByTwo(ctx, x, 0f), x));
  }

  @Test
  void catchesAGradientWrittenIntoAConstant() {
    Tensor x = TestData.leaf(4, 5);
    Tensor c = TestData.constant(5, -1f, 1f, 5);
    GradCheck.Forward leaky =
        ctx -> {
          Tensor y = scaleByTwo(ctx, x, 2f);
          if (ctx.records(x)) {
            ctx.tape().record(y, dy -> c.grad());
          }
          return y;
        };
    assertThrows(
        AssertionFailedError.class,
        () -> GradCheck.check("leaks into constant", k, 4, leaky, x, c));
  }

  @Test
  void catchesNonZeroGradientOutsideThePrefix() {
    float[] g = new float[12];
    g[11] = 1e-30f;
    assertThrows(
        AssertionFailedError.class,
        () ->
            GradCheck.assertZeroOutside(
                "tiny leak", g, new int[] {3, 4}, new int[] {0, 0}, new int[] {2, 4}));
  }
}
