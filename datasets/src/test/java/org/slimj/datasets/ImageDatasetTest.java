package org.slimj.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Construction checks, immutability and subsets. */
class ImageDatasetTest {
  @Test
  void constructionChecksSizesAndLabels() {
    List<String> two = ImageDataset.numberedClasses(2);
    IllegalArgumentException size = assertThrows(
        IllegalArgumentException.class, () -> ImageDataset.of("d", new byte[7], new int[] {0, 1}, 1, 2, 2, two));
    assertTrue(size.getMessage().contains("expected 2 images of 1x2x2 = 8 bytes, found 7"), size.getMessage());
    IllegalArgumentException label = assertThrows(
        IllegalArgumentException.class, () -> ImageDataset.of("d", new byte[8], new int[] {0, 2}, 1, 2, 2, two));
    assertTrue(label.getMessage().contains("label of image 1 of d: expected 0..1, found 2"), label.getMessage());
  }

  @Test
  void ofCopiesItsInputsAndLabelsReturnsACopy() {
    byte[] pixels = {1, 2, 3, 4};
    int[] labels = {1};
    ImageDataset d = ImageDataset.of("d", pixels, labels, 1, 2, 2, ImageDataset.numberedClasses(2));
    pixels[0] = 99;
    labels[0] = 0;
    d.labels()[0] = 0;
    assertEquals(1, d.pixel(0, 0));
    assertEquals(1, d.label(0));
  }

  @Test
  void subsetPicksImagesInTheGivenOrder() {
    ImageDataset d = TestData.indexed(10, 3);
    ImageDataset s = d.subset(new int[] {7, 2, 7});
    assertEquals(3, s.count());
    assertEquals(7, TestData.indexOf(s, 0));
    assertEquals(2, TestData.indexOf(s, 1));
    assertEquals(7, TestData.indexOf(s, 2));
    assertArrayEquals(new int[] {1, 2, 1}, s.labels());
    assertEquals(200, s.pixel(1, 3));
    assertTrue(s.name().startsWith("indexed [3 of 10]"), s.name());
    assertArrayEquals(new int[] {0, 2, 1}, s.classCounts());
    assertThrows(IndexOutOfBoundsException.class, () -> d.subset(new int[] {10}));
  }
}
