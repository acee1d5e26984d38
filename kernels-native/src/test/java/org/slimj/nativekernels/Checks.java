package org.slimj.nativekernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import java.util.function.IntPredicate;

/** Seeded test data and float comparisons that say where and by how much two arrays differ. */
final class Checks {
  private Checks() {}

  /** n uniform values in [-1, 1). */
  static float[] random(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextFloat() * 2f - 1f;
    }
    return a;
  }

  /** Tolerance for sums of {@code terms} products of values around 1 (float32). */
  static double tol(long terms) {
    return 2e-5 * Math.sqrt(Math.max(1, terms)) + 1e-6;
  }

  /**
   * Fails unless |actual - expected| <= atol + rtol * |expected| at every index (two NaNs match),
   * naming the first bad index, both values, the count of bad indices and {@code what}.
   */
  static void assertClose(float[] expected, float[] actual, double atol, double rtol, String what) {
    if (expected.length != actual.length) {
      fail(what + ": length " + actual.length + ", expected " + expected.length);
    }
    int bad = 0;
    int first = -1;
    for (int i = 0; i < expected.length; i++) {
      float e = expected[i];
      float a = actual[i];
      boolean ok = Float.isNaN(e) || Float.isNaN(a)
          ? Float.isNaN(e) && Float.isNaN(a)
          : Math.abs((double) a - e) <= atol + rtol * Math.abs(e);
      if (!ok) {
        if (first < 0) {
          first = i;
        }
        bad++;
      }
    }
    if (bad > 0) {
      fail(String.format("%s: %d of %d values differ; first at [%d]: expected %s, found %s (atol %.3g, rtol %.3g)",
          what, bad, expected.length, first, expected[first], actual[first], atol, rtol));
    }
  }

  /** Fails unless every index where {@code active} is false holds bit-for-bit its original value. */
  static void assertUntouchedOutside(float[] original, float[] actual, IntPredicate active, String what) {
    for (int i = 0; i < original.length; i++) {
      if (!active.test(i) && Float.floatToRawIntBits(original[i]) != Float.floatToRawIntBits(actual[i])) {
        fail(what + ": wrote outside its output at [" + i + "]: was " + original[i] + ", now " + actual[i]);
      }
    }
  }

  /** Indices {@code [off, off + len)}. */
  static IntPredicate range(int off, int len) {
    return i -> i >= off && i < off + len;
  }

  /** Indices of an {@code rows x cols} block starting at {@code off} with rows {@code ld} apart. */
  static IntPredicate block(int off, int rows, int cols, int ld) {
    return i -> i >= off && (i - off) / ld < rows && (i - off) % ld < cols;
  }
}
