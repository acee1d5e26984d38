package org.slimj.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Element-wise comparisons for the slice-equivalence tests. */
final class SliceAsserts {
  private SliceAsserts() {}

  /** |actual - expected| <= 1e-5 * max(1, |expected|) for every element, same length. */
  static void assertClose(String label, float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, label + ": length");
    for (int i = 0; i < expected.length; i++) {
      double tol = 1e-5 * Math.max(1, Math.abs(expected[i]));
      if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
        fail(label + ": index " + i + " expected " + expected[i] + ", found " + actual[i]);
      }
    }
  }
}
