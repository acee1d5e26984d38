package org.slimj.engine.nn;

import java.util.random.RandomGenerator;
import org.slimj.engine.tensor.Tensor;

/** Weight initialisations; every one takes the random generator explicitly. */
public final class Init {
  private Init() {}

  /**
   * Kaiming (He) normal initialisation for ReLU networks, fan-out mode as in the slimmable
   * reference code: N(0, 2 / fanOut).
   */
  public static void kaimingNormalFanOut(Tensor t, int fanOut, RandomGenerator rng) {
    double std = Math.sqrt(2.0 / fanOut);
    for (int i = 0; i < t.size(); i++) {
      t.set(i, (float) (rng.nextGaussian() * std));
    }
  }

  /** Normal initialisation N(0, std²). */
  public static void normal(Tensor t, double std, RandomGenerator rng) {
    for (int i = 0; i < t.size(); i++) {
      t.set(i, (float) (rng.nextGaussian() * std));
    }
  }

  /** Fills every element with {@code v}. */
  public static void fill(Tensor t, float v) {
    for (int i = 0; i < t.size(); i++) {
      t.set(i, v);
    }
  }
}
