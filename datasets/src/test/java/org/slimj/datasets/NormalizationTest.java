package org.slimj.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Per-channel statistics and the normalization they give. */
class NormalizationTest {
  @Test
  void statisticsOfKnownPixels() {
    // channel 0: half 0, half 255 -> mean 0.5, std 0.5; channel 1: all 51 -> mean 0.2, no spread -> std 1
    byte[] pixels = new byte[2 * 2 * 4];
    for (int i = 0; i < 2; i++) {
      for (int p = 0; p < 4; p++) {
        pixels[i * 8 + p] = (byte) (p % 2 == 0 ? 0 : 255);
        pixels[i * 8 + 4 + p] = (byte) 51;
      }
    }
    ImageDataset d = ImageDataset.of("known", pixels, new int[] {0, 1}, 2, 2, 2, ImageDataset.numberedClasses(2));
    Normalization n = Normalization.computedFrom(d);
    assertEquals(0.5f, n.mean(0), 1e-7f);
    assertEquals(0.5f, n.std(0), 1e-7f);
    assertEquals(0.2f, n.mean(1), 1e-7f);
    assertEquals(1f, n.std(1));
  }

  @Test
  void normalizedBatchesHaveZeroMeanAndUnitStd() {
    long seed = 19;
    // skewed random pixels: squares of uniform bytes, three channels with different offsets
    ImageDataset raw = TestData.random(300, 3, 4, 5, 4, seed);
    byte[] pixels = new byte[300 * 60];
    for (int i = 0; i < 300; i++) {
      for (int p = 0; p < 60; p++) {
        int v = raw.pixel(i, p);
        pixels[i * 60 + p] = (byte) (v * v / 255 / (1 + p / 20));
      }
    }
    ImageDataset d = ImageDataset.of("skewed", pixels, raw.labels(), 3, 4, 5, raw.classNames());
    Normalization n = Normalization.computedFrom(d);
    Batcher b = Batcher.evaluation(d, 64, n);
    double[] sum = new double[3];
    double[] squares = new double[3];
    while (b.next()) {
      float[] x = b.images();
      for (int r = 0; r < b.size(); r++) {
        for (int p = 0; p < 60; p++) {
          double v = x[r * 60 + p];
          sum[p / 20] += v;
          squares[p / 20] += v * v;
        }
      }
    }
    for (int c = 0; c < 3; c++) {
      double mean = sum[c] / (300 * 20);
      double var = squares[c] / (300 * 20) - mean * mean;
      assertEquals(0, mean, 1e-5, "channel " + c + " mean, seed " + seed);
      assertEquals(1, var, 1e-4, "channel " + c + " variance, seed " + seed);
    }
  }

  @Test
  void givenStatisticsAreApplied() {
    Normalization n = Normalization.of(new float[] {0.5f, 0.25f}, new float[] {0.5f, 2f});
    float[] x = {9, 1f, 0f, 0.25f, 1f, 9};
    n.applyInPlace(x, 1, 2);
    assertEquals(9f, x[0]);
    assertEquals(1f, x[1], 1e-7f);
    assertEquals(-1f, x[2], 1e-7f);
    assertEquals(0f, x[3], 1e-7f);
    assertEquals(0.375f, x[4], 1e-7f);
    assertEquals(9f, x[5]);
    assertThrows(IllegalArgumentException.class, () -> Normalization.of(new float[] {0}, new float[] {0}));
    assertThrows(IllegalArgumentException.class, () -> Normalization.of(new float[] {0, 1}, new float[] {1}));
  }
}
