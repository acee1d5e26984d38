package org.slimj.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Crop with zero padding and horizontal flip, checked pixel by pixel. */
class AugmentTest {
  private static final long SEED = 3;
  // 2 channels of 5 rows x 6 columns: odd and even sizes, random content
  private static final ImageDataset DATA = TestData.random(4, 2, 5, 6, 3, SEED);

  private static float[] write(int index, int dy, int dx, boolean mirror) {
    float[] out = new float[DATA.imageSize() + 3];
    Augment.write(DATA, index, out, 3, dy, dx, mirror);
    return out;
  }

  private static float source(int index, int c, int y, int x) {
    return DATA.pixel(index, (c * 5 + y) * 6 + x) / 255f;
  }

  @Test
  void zeroShiftWithoutFlipIsTheImageScaledTo01() {
    float[] out = write(2, 0, 0, false);
    for (int c = 0; c < 2; c++) {
      for (int y = 0; y < 5; y++) {
        for (int x = 0; x < 6; x++) {
          String where = "c" + c + " y" + y + " x" + x + " seed " + SEED;
          assertEquals(source(2, c, y, x), out[3 + (c * 5 + y) * 6 + x], where);
        }
      }
    }
    assertEquals(0f, out[0]);
  }

  @Test
  void flipMirrorsEachRowAndTwiceIsIdentity() {
    float[] plain = write(1, 0, 0, false);
    float[] flipped = write(1, 0, 0, true);
    assertFalse(Arrays.equals(plain, flipped), "random content is not symmetric, seed " + SEED);
    for (int c = 0; c < 2; c++) {
      for (int y = 0; y < 5; y++) {
        for (int x = 0; x < 6; x++) {
          assertEquals(source(1, c, y, 5 - x), flipped[3 + (c * 5 + y) * 6 + x], "c" + c + " y" + y + " x" + x);
        }
      }
    }
    Augment.flipInPlace(flipped, 3, 2, 5, 6);
    assertArrayEquals(plain, flipped, "flip twice, seed " + SEED);
  }

  @Test
  void shiftMovesContentAndFillsWithZero() {
    int dy = 1;
    int dx = -2;
    float[] out = write(0, dy, dx, false);
    for (int c = 0; c < 2; c++) {
      for (int y = 0; y < 5; y++) {
        for (int x = 0; x < 6; x++) {
          int sy = y + dy;
          int sx = x + dx;
          float expected = sy < 0 || sy >= 5 || sx < 0 || sx >= 6 ? 0f : source(0, c, sy, sx);
          assertEquals(expected, out[3 + (c * 5 + y) * 6 + x], "c" + c + " y" + y + " x" + x + " seed " + SEED);
        }
      }
    }
    // the last row and the first two columns came from the padding
    assertEquals(0f, out[3 + 4 * 6 + 3]);
    assertEquals(0f, out[3 + 1]);
  }

  @Test
  void shiftThenFlipMirrorsTheCroppedWindow() {
    float[] out = write(3, -1, 1, true);
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 6; x++) {
        int sy = y - 1;
        int sx = (5 - x) + 1;
        float expected = sy < 0 || sx >= 6 ? 0f : source(3, 0, sy, sx);
        assertEquals(expected, out[3 + y * 6 + x], "y" + y + " x" + x + " seed " + SEED);
      }
    }
  }

  @Test
  void applyDrawsShiftsThenFlipInTheDocumentedOrder() {
    Augment a = new Augment(2, true);
    SplittableRandom rng = new SplittableRandom(SEED);
    SplittableRandom replay = new SplittableRandom(SEED);
    Set<String> seen = new HashSet<>();
    float[] out = new float[DATA.imageSize() + 3];
    for (int trial = 0; trial < 400; trial++) {
      a.apply(DATA, trial % 4, out, 3, rng);
      int dy = replay.nextInt(5) - 2;
      int dx = replay.nextInt(5) - 2;
      boolean mirror = replay.nextBoolean();
      seen.add(dy + "," + dx + "," + mirror);
      assertArrayEquals(write(trial % 4, dy, dx, mirror), out, "trial " + trial + " seed " + SEED);
    }
    assertEquals(50, seen.size(), "all 5x5 shifts with and without flip occur in 400 draws, seed " + SEED);
  }

  @Test
  void disabledAugmentationIsIdentityAndDrawsNothing() {
    SplittableRandom rng = new SplittableRandom(SEED);
    float[] out = new float[DATA.imageSize() + 3];
    Augment.NONE.apply(DATA, 2, out, 3, rng);
    assertArrayEquals(write(2, 0, 0, false), out);
    assertEquals(new SplittableRandom(SEED).nextLong(), rng.nextLong(), "no random draw was made");
    assertThrows(IllegalArgumentException.class, () -> new Augment(-1, false));
  }
}
