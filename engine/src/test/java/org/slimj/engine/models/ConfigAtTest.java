package org.slimj.engine.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;

/** The one width-to-configuration step, on the model: switchable BN by list entry, others uniformly. */
class ConfigAtTest {
  private static SlimModel model(BnKind bn) {
    return new ModelSpec("smallcnn", 1.0, 1, 12, 10, bn, new double[] {0.25, 0.5, 1.0}).build(new SplittableRandom(2));
  }

  @Test
  void switchableModelsRunTheirListEntriesOnly() {
    SlimModel m = model(BnKind.SWITCHABLE);
    assertEquals(m.switchConfig(1), m.configAt(0.5));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.configAt(0.75));
    assertTrue(e.getMessage().contains("not in the switchable model's width list"), e.getMessage());
  }

  @Test
  void otherModelsRunAnyWidthUpToTheLargest() {
    SlimModel m = model(BnKind.UNIVERSAL);
    ChannelConfig c = m.configAt(0.75);
    assertEquals(m.uniform(0.75), c);
    for (double bad : new double[] {0, -0.5, 1.5, Double.NaN}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.configAt(bad));
      assertTrue(e.getMessage().contains("expected a value in (0, 1.0]"), e.getMessage());
    }
  }
}
