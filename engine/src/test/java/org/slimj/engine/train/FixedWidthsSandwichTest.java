package org.slimj.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slimj.engine.TestBackends;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.models.SmallCnn;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.tensor.Tensor;

/** The fixed-widths sandwich runs its widths in the given order and equals the sandwich rule's step. */
class FixedWidthsSandwichTest {
  private static final double[] WIDTHS = {0.25, 0.5, 0.75, 1.0};
  private static final int[] LABELS = {0, 1, 2, 3, 4, 0};
  private final Kernels k = TestBackends.scalar();

  private static SlimModel model(long seed) {
    return new SmallCnn(1, 8, 5, new int[] {8, 12, 16}, BnKind.UNIVERSAL, WIDTHS, new SplittableRandom(seed));
  }

  private static Tensor images(long seed) {
    Tensor x = Tensor.zeros(6, 1, 8, 8);
    TestBackends.randn(x, new SplittableRandom(seed));
    return x;
  }

  @Test
  void runsTheWidthsInTheOrderGiven() {
    long seed = 61;
    SlimModel m = model(seed);
    StepResult r = new FixedWidthsSandwich(new double[] {1.0, 0.25, 0.75, 0.5}, 0f, true)
        .accumulate(m, k, images(seed), LABELS, new SplittableRandom(seed));
    assertEquals(4, r.configs().size());
    double[] expected = {1.0, 0.25, 0.75, 0.5};
    for (int i = 0; i < 4; i++) {
      assertEquals(m.uniform(expected[i]), r.configs().get(i), "config " + i + " (seed " + seed + ")");
      assertTrue(Float.isFinite(r.losses()[i]));
    }
  }

  @Test
  void equalsTheSandwichRuleWhenItDrawsNothing() {
    long seed = 62;
    SlimModel a = model(seed);
    SlimModel b = model(seed);
    StepResult ra = new FixedWidthsSandwich(new double[] {1.0, 0.25}, 0.1f, true)
        .accumulate(a, k, images(seed), LABELS, new SplittableRandom(seed));
    StepResult rb = new SandwichStrategy(0.25, 1.0, 2, 0.1f, true)
        .accumulate(b, k, images(seed), LABELS, new SplittableRandom(seed));
    assertEquals(rb.configs(), ra.configs());
    assertArrayEquals(rb.losses(), ra.losses(), "seed " + seed);
    for (int i = 0; i < a.parameters().size(); i++) {
      Parameter pa = a.parameters().get(i);
      Parameter pb = b.parameters().get(i);
      assertArrayEquals(pb.tensor().grad(), pa.tensor().grad(), pa.name() + " (seed " + seed + ")");
    }
  }

  @Test
  void rejectsWidthsOutsideTheUnitInterval() {
    assertThrows(IllegalArgumentException.class, () -> new FixedWidthsSandwich(new double[0], 0f, true));
    var e = assertThrows(IllegalArgumentException.class, () -> new FixedWidthsSandwich(new double[] {1.0, 1.5}, 0f, true));
    assertTrue(e.getMessage().contains("1.5"), e.getMessage());
  }
}
