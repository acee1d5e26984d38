package org.slimj.cli.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Default width lists: the slimmable papers' switches per architecture, scaled by the maximum width. */
class WidthOptionsTest {
  @Test
  void mobileNetV2StartsAt035AsInThePapers() {
    assertArrayEquals(new double[] {0.35, 0.5, 0.75, 1.0}, WidthOptions.defaultList("mobilenetv2", 1.0), 1e-12);
    assertArrayEquals(new double[] {0.175, 0.25, 0.375, 0.5}, WidthOptions.defaultList("mobilenetv2", 0.5), 1e-12);
    assertArrayEquals(new double[] {0.25, 0.5, 0.75, 1.0}, WidthOptions.defaultList("mobilenetv1", 1.0), 1e-12);
    assertArrayEquals(new double[] {0.25, 0.5, 0.75, 1.0}, WidthOptions.defaultList("resnet20", 1.0), 1e-12);
  }
}
