package org.slimj.engine.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import java.util.function.IntPredicate;

/**
 * Seeded test data and float comparisons that say where and by how much two arrays differ; shared
 * by the tests of every kernel backend (kernels-native uses it through the engine test jar).
 */
public final class FloatChecks {
  private FloatChecks() {}

  /** Tolerance for sums of {@code terms} products of values around 1 (float32). */
  public static double tol(long terms) {
    return 2e-5 * Math.sqrt(Math.max(1, terms)) + 1e-6;
  }

  /** n uniform values in [-1, 1). */
  public static float[] random(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextFloat() * 2f - 1f;
    }
    return a;
  }

  /** n uniform values in [lo, hi). */
  public static float[] uniform(Random r, int n, float lo, float hi) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = lo + r.nextFloat() * (hi - lo);
    }
    return a;
  }

  /**
   * Fails unless |actual - expected| <= atol + rtol * |expected| at every index (two NaNs match).
   * The message names the first bad index, both values, the count of bad indices and {@code what}.
   */
  public static void assertClose(float[] expected, float[] actual, double atol, double rtol, String what) {
    if (expected.length != actual.length) {
      fail(what + ": length " + actual.length + ", expected " + expected.length);
    }
    int bad = 0;
    int first = -1;
    for (int i = 0; i < expected.length; i++) {
      if (!close(expected[i], actual[i], atol, rtol)) {
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

  /** Whether two floats agree within atol + rtol * |expected| (NaN matches only NaN). */
  public static boolean close(float expected, float actual, double atol, double rtol) {
    if (Float.isNaN(expected) || Float.isNaN(actual)) {
      return Float.isNaN(expected) && Float.isNaN(actual);
    }
    return Math.abs((double) actual - expected) <= atol + rtol * Math.abs(expected);
  }

  /** Fails unless every index where {@code active} is false holds bit-for-bit its original value. */
  public static void assertUntouchedOutside(float[] original, float[] actual, IntPredicate active, String what) {
    for (int i = 0; i < original.length; i++) {
      if (!active.test(i) && Float.floatToRawIntBits(original[i]) != Float.floatToRawIntBits(actual[i])) {
        fail(what + ": wrote outside its output at [" + i + "]: was " + original[i] + ", now " + actual[i]);
      }
    }
  }

  /** Indices {@code [off, off + len)}. */
  public static IntPredicate range(int off, int len) {
    return i -> i >= off && i < off + len;
  }

  /** Indices of an {@code rows x cols} block starting at {@code off} with rows {@code ld} apart. */
  public static IntPredicate block(int off, int rows, int cols, int ld) {
    return i -> i >= off && (i - off) / ld < rows && (i - off) % ld < cols;
  }
}
