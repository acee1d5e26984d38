package org.slimj.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Tensor;

/** The zero-padding ResNet shortcut: values and finite-difference gradients, widening and narrowing. */
class ShortcutPadTest {
  @ParameterizedTest
  @MethodSource("org.slimj.engine.TestBackends#all")
  void gradientsWideningAndNarrowing(Kernels k) {
    long seed = 41;
    Tensor x = TestData.leaf(seed, 2, 3, 5, 4);
    GradCheck.check("ShortcutPad stride 2, 3->7", k, seed, ctx -> ShortcutPad.forward(ctx, x, 2, 7), x);
    Tensor x2 = TestData.leaf(seed + 1, 2, 5, 4, 4);
    GradCheck.check("ShortcutPad stride 1, 5->3", k, seed + 1, ctx -> ShortcutPad.forward(ctx, x2, 1, 3), x2);
  }

  @ParameterizedTest
  @MethodSource("org.slimj.engine.TestBackends#all")
  void subsamplesAndPadsAtTheEnd(Kernels k) {
    Tensor x = TestData.constant(42, -1f, 1f, 1, 2, 3, 3);
    Tensor y = ShortcutPad.forward(Context.inference(k), x, 2, 4);
    assertEquals(1 * 4 * 2 * 2, y.size());
    assertEquals(x.get(0), y.get(0));
    assertEquals(x.get(2), y.get(1), "column stride 2");
    assertEquals(x.get(6), y.get(2), "row stride 2");
    assertEquals(x.get(9 + 8), y.get(4 + 3), "channel 1, (2,2)");
    for (int i = 8; i < 16; i++) {
      assertEquals(0f, y.get(i), "padded channels are zero at " + i);
    }
  }
}
