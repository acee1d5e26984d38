package org.slimj.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.slimj.engine.kernels.Backends;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.train.StepResult;

/** The timed workloads on tiny sizes: a sandwich step, width inference and layer passes. */
class WorkloadsTest {
  private final Kernels k = Backends.choose("vector", 1).kernels();

  @Test
  void sandwichStepRunsTheWidthsInOrderAndLearns() {
    SandwichStep step = new SandwichStep(k,
        new SandwichStep.Settings("mobilenetv2", "us", 2, 8, 3, 10, new double[] {1.0, 0.25, 0.75, 0.5}, 3));
    StepResult first = step.run();
    assertEquals(4, first.configs().size());
    for (float l : first.losses()) {
      assertTrue(Float.isFinite(l), "losses " + java.util.Arrays.toString(first.losses()));
    }
    StepResult later = step.run();
    assertTrue(later.losses()[0] != first.losses()[0], "the SGD step changed the weights");
    SandwichStep sbn = new SandwichStep(k,
        new SandwichStep.Settings("mobilenetv2", "sbn", 2, 8, 3, 10, new double[] {0.5, 1.0}, 3));
    assertEquals(2, sbn.run().configs().size());
  }

  @Test
  void sandwichStepRejectsUnknownModes() {
    var e = assertThrows(IllegalArgumentException.class, () -> new SandwichStep(k,
        new SandwichStep.Settings("mobilenetv2", "nonuniform", 2, 8, 3, 10, new double[] {1.0}, 3)));
    assertTrue(e.getMessage().contains("'nonuniform'"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new SandwichStep.Settings("mobilenetv2", "us", 0, 8, 3, 10, new double[] {1.0}, 3));
  }

  @Test
  void widthInferenceGivesLogitsAtEveryWidth() {
    WidthInference inf = new WidthInference(k, "mobilenetv2", 8, 3, 10, 2, new double[] {0.35, 1.0}, 4);
    assertEquals(2, inf.widths());
    for (int i = 0; i < 2; i++) {
      float[] y = inf.run(i).toArray();
      assertEquals(20, y.length);
      for (float v : y) {
        assertTrue(Float.isFinite(v));
      }
    }
    assertThrows(IllegalArgumentException.class,
        () -> new WidthInference(k, "mobilenetv2", 8, 3, 10, 1, new double[] {1.2}, 4));
  }

  @Test
  void layerPassesRunForwardAndBackward() {
    for (ReferenceLayer l : ReferenceLayer.ALL) {
      LayerPass f = new LayerPass(k, l, 0.5, 1, false, 7);
      assertArrayEquals(new int[] {1, l.coutAt(0.5), l.outSize(), l.outSize()}, f.run().shape(), l.name());
      LayerPass fb = new LayerPass(k, l, 0.5, 1, true, 7);
      assertTrue(fb.run().gradOrNull() != null, l.name());
      assertEquals(l.flops(1, 0.5, true), fb.flops());
    }
  }
}
