package org.slimj.datasets;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Seeded shuffles and subsets: random permutations, a validation part held out of a training set
 * (what searches evaluate on; the test set is never used to choose anything), and the first images
 * of each class in file order (how the embedded sample was chosen).
 */
public final class Split {
  private Split() {}

  /** A training set divided into the part to train on and a held-out validation part. */
  public record HoldOut(ImageDataset train, ImageDataset validation) {}

  /** Shuffles {@code a} in place (Fisher–Yates) with draws from {@code rng}. */
  public static void shuffle(int[] a, RandomGenerator rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** A random permutation of {@code 0..n-1} drawn from {@code rng}. */
  public static int[] permutation(int n, RandomGenerator rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    shuffle(p, rng);
    return p;
  }

  /** A random permutation of {@code 0..n-1} determined by {@code seed}. */
  public static int[] permutation(int n, long seed) {
    return permutation(n, new SplittableRandom(seed));
  }

  /**
   * Holds {@code validationCount} images, chosen at random by {@code seed}, out of {@code data}.
   * Both parts keep the original order of their images; together they hold every image once.
   */
  public static HoldOut holdOut(ImageDataset data, int validationCount, long seed) {
    if (validationCount < 1 || validationCount >= data.count()) {
      throw new IllegalArgumentException(
          "validation count must be in 1.." + (data.count() - 1) + " for " + data.count() + " images, found "
              + validationCount);
    }
    int[] p = permutation(data.count(), seed);
    int[] validation = Arrays.copyOfRange(p, 0, validationCount);
    int[] train = Arrays.copyOfRange(p, validationCount, p.length);
    Arrays.sort(validation);
    Arrays.sort(train);
    String held = validationCount + " images held out with seed " + seed;
    return new HoldOut(
        data.subset(train, data.name() + ", training part (" + held + ")"),
        data.subset(validation, data.name() + ", validation part (" + held + ")"));
  }

  /**
   * Indices of the first {@code perClass} images of each class, in file order (ascending). Fails
   * when a class has fewer images.
   */
  public static int[] firstPerClass(ImageDataset data, int perClass) {
    int[] taken = new int[data.classes()];
    int[] picked = new int[Math.multiplyExact(perClass, data.classes())];
    int n = 0;
    for (int i = 0; i < data.count() && n < picked.length; i++) {
      int label = data.label(i);
      if (taken[label] < perClass) {
        taken[label]++;
        picked[n++] = i;
      }
    }
    for (int k = 0; k < taken.length; k++) {
      if (taken[k] < perClass) {
        throw new IllegalArgumentException(
            data.name() + ": class " + k + " has " + taken[k] + " images, asked for " + perClass);
      }
    }
    return picked;
  }
}
