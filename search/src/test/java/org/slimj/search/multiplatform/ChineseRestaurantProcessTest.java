package org.slimj.search.multiplatform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** CRP weightings: valid distributions, seeded, spread controlled by the concentration, no positional bias. */
class ChineseRestaurantProcessTest {
  private static final double[] CONCENTRATIONS = {0.1, 1, 10, 100};
  private static final int SEEDS = 300;

  @Test
  void weightsAreSeededDistributions() {
    for (double alpha : CONCENTRATIONS) {
      double[] w = ChineseRestaurantProcess.weights(4, alpha, 1000, new SplittableRandom(5));
      assertEquals(1.0, Arrays.stream(w).sum(), 1e-12);
      assertTrue(Arrays.stream(w).allMatch(x -> x >= 0), Arrays.toString(w));
      assertArrayEquals(w, ChineseRestaurantProcess.weights(4, alpha, 1000, new SplittableRandom(5)));
    }
  }

  /**
   * Property over many seeds: for P = 2..5 the mean largest share falls as the concentration grows,
   * from a dominant platform (alpha 0.1) to near 1/P (alpha 100); and every platform's mean share is
   * near 1/P at every concentration, whatever its position.
   */
  @Test
  void largestShareFallsTowardUniformAndNoPositionIsFavoured() {
    for (int p = 2; p <= 5; p++) {
      double previous = Double.POSITIVE_INFINITY;
      for (double alpha : CONCENTRATIONS) {
        double meanLargest = 0;
        double[] meanShare = new double[p];
        for (long seed = 1; seed <= SEEDS; seed++) {
          double[] w = ChineseRestaurantProcess.weights(p, alpha, 1000, new SplittableRandom(seed));
          meanLargest += Arrays.stream(w).max().orElseThrow() / SEEDS;
          for (int i = 0; i < p; i++) {
            meanShare[i] += w[i] / SEEDS;
          }
        }
        String where = "P " + p + ", alpha " + alpha + ", seeds 1.." + SEEDS;
        assertTrue(meanLargest < previous, where + ": mean largest share " + meanLargest + " did not fall below "
            + previous);
        previous = meanLargest;
        for (int i = 0; i < p; i++) {
          assertEquals(1.0 / p, meanShare[i], 0.08, where + ": platform " + i + " mean share " + meanShare[i]
              + " (all: " + Arrays.toString(meanShare) + ")");
        }
        if (alpha == 0.1) {
          assertTrue(meanLargest > 0.85, where + ": a dominant platform expected, mean largest " + meanLargest);
        }
        if (alpha == 100) {
          assertTrue(meanLargest < 1.0 / p + 0.06, where + ": near-uniform expected, mean largest " + meanLargest);
        }
      }
    }
  }

  @Test
  void badArgumentsFail() {
    assertThrows(IllegalArgumentException.class, () -> ChineseRestaurantProcess.weights(0, 1, 10, new SplittableRandom(1)));
    assertThrows(IllegalArgumentException.class, () -> ChineseRestaurantProcess.weights(3, 0, 10, new SplittableRandom(1)));
    assertThrows(IllegalArgumentException.class,
        () -> ChineseRestaurantProcess.weights(3, Double.POSITIVE_INFINITY, 10, new SplittableRandom(1)));
  }
}
