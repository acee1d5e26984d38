package org.slimj.search.multiplatform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** CRP weightings: valid distributions, seeded, and concentration controls their spread. */
class ChineseRestaurantProcessTest {
  @Test
  void weightsAreSortedDistributionsAndSeeded() {
    for (double alpha : new double[] {0.1, 1, 10}) {
      double[] w = ChineseRestaurantProcess.weights(4, alpha, 200, new SplittableRandom(5));
      assertEquals(1.0, Arrays.stream(w).sum(), 1e-12);
      for (int i = 1; i < w.length - 1; i++) {
        assertTrue(w[i - 1] >= w[i], "sorted (except the merged last): " + Arrays.toString(w));
      }
      assertArrayEquals(w, ChineseRestaurantProcess.weights(4, alpha, 200, new SplittableRandom(5)));
    }
  }

  @Test
  void smallConcentrationGivesADominantPlatformLargeGivesSpread() {
    double topSmall = 0;
    double topLarge = 0;
    for (long seed = 1; seed <= 40; seed++) {
      topSmall += ChineseRestaurantProcess.weights(4, 0.1, 200, new SplittableRandom(seed))[0];
      topLarge += ChineseRestaurantProcess.weights(4, 10, 200, new SplittableRandom(seed))[0];
    }
    assertTrue(topSmall / 40 > 0.8, "alpha 0.1: mean top share " + topSmall / 40);
    assertTrue(topLarge / 40 < 0.5, "alpha 10: mean top share " + topLarge / 40);
  }

  @Test
  void badArgumentsFail() {
    assertThrows(IllegalArgumentException.class, () -> ChineseRestaurantProcess.weights(0, 1, 10, new SplittableRandom(1)));
    assertThrows(IllegalArgumentException.class, () -> ChineseRestaurantProcess.weights(3, 0, 10, new SplittableRandom(1)));
  }
}
