package org.slimj.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** Seeded permutations, the held-out validation split and the per-class selection. */
class SplitTest {
  @Test
  void permutationIsDeterminedBySeedAndIsAPermutation() {
    long seed = 42;
    int[] a = Split.permutation(1000, seed);
    int[] b = Split.permutation(1000, seed);
    assertArrayEquals(a, b, "same seed " + seed);
    assertFalse(Arrays.equals(a, Split.permutation(1000, seed + 1)), "seeds " + seed + " and " + (seed + 1));
    int[] sorted = a.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      assertEquals(i, sorted[i], "seed " + seed);
    }
    int fixedPoints = 0;
    for (int i = 0; i < a.length; i++) {
      fixedPoints += a[i] == i ? 1 : 0;
    }
    assertTrue(
        fixedPoints < 10, "a shuffle of 1000 leaves about 1 fixed point, found " + fixedPoints + ", seed " + seed);
  }

  @Test
  void holdOutIsDisjointCompleteOrderedAndDeterministic() {
    long seed = 7;
    ImageDataset data = TestData.indexed(500, 10);
    Split.HoldOut h = Split.holdOut(data, 120, seed);
    assertEquals(380, h.train().count());
    assertEquals(120, h.validation().count());
    BitSet seen = new BitSet();
    int last = -1;
    for (ImageDataset part : new ImageDataset[] {h.validation(), h.train()}) {
      last = -1;
      for (int i = 0; i < part.count(); i++) {
        int original = TestData.indexOf(part, i);
        assertFalse(seen.get(original), "image " + original + " in both parts, seed " + seed);
        seen.set(original);
        assertTrue(original > last, "parts keep the original order, seed " + seed);
        last = original;
        assertEquals(original % 10, part.label(i), "label follows its image, seed " + seed);
      }
    }
    assertEquals(500, seen.cardinality(), "every image in one part, seed " + seed);

    Split.HoldOut again = Split.holdOut(data, 120, seed);
    assertArrayEquals(indices(h.validation()), indices(again.validation()), "same seed " + seed);
    Split.HoldOut other = Split.holdOut(data, 120, seed + 1);
    assertFalse(Arrays.equals(indices(h.validation()), indices(other.validation())), "seeds differ");
    String name = h.validation().name();
    assertTrue(name.contains("validation part (120 images held out with seed 7)"), name);
  }

  @Test
  void holdOutRejectsCountsThatLeaveAPartEmpty() {
    ImageDataset data = TestData.indexed(10, 2);
    assertThrows(IllegalArgumentException.class, () -> Split.holdOut(data, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> Split.holdOut(data, 10, 1));
  }

  @Test
  void firstPerClassTakesTheEarliestImagesOfEachClassInFileOrder() {
    int[] labels = {2, 0, 0, 1, 2, 0, 1, 2, 2, 1};
    ImageDataset data = ImageDataset.of("x", new byte[10], labels, 1, 1, 1, ImageDataset.numberedClasses(3));
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 6}, Split.firstPerClass(data, 2));
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 9}, Split.firstPerClass(data, 3));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Split.firstPerClass(data, 4));
    assertTrue(e.getMessage().contains("class 0 has 3 images, asked for 4"), e.getMessage());
  }

  private static int[] indices(ImageDataset d) {
    int[] r = new int[d.count()];
    for (int i = 0; i < r.length; i++) {
      r[i] = TestData.indexOf(d, i);
    }
    return r;
  }
}
