package org.slimj.engine.train;

import java.util.SplittableRandom;

/**
 * Random generators derived from a run's seed and a counter (step or epoch), so that every random
 * choice of step s is the same whether the run started at step 0 or resumed at step s: nothing
 * about generator state needs to be saved, only the seed and the step.
 */
public final class Seeds {
  private Seeds() {}

  /** The generator of step {@code step} of the run seeded {@code seed}, on stream {@code stream}. */
  public static SplittableRandom forStep(long seed, long stream, long step) {
    return new SplittableRandom(mix(mix(seed ^ 0x9E3779B97F4A7C15L * (stream + 1)) + step));
  }

  /** A 64-bit finaliser (SplitMix64's) spreading nearby inputs over the whole range. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
