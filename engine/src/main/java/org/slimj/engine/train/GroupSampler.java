package org.slimj.engine.train;

import java.util.random.RandomGenerator;

/**
 * Draws the channel group of every slot for the random configurations of a step: uniform
 * (AutoSlim, OWS) or from a distribution that adapts during training (AOWS's marginals, the
 * multi-platform samplers of the search module).
 */
public interface GroupSampler {
  /** Group (1..groups) of each slot. */
  int[] sample(RandomGenerator rng);

  /**
   * Called before the first step of each epoch, when an adaptive sampler updates its distribution
   * from the credits; it must depend only on the epoch and the credits, so a resumed run samples
   * as the uninterrupted one did.
   */
  default void beginEpoch(int epoch) {}

  /** What the sampler did at the last {@link #beginEpoch} (temperature, multiplier, ...), for logs; may be empty. */
  default String describe() {
    return "";
  }

  /** Each slot's group uniform in {@code [minGroup, groups]}. */
  static GroupSampler uniform(int slots, int minGroup, int groups) {
    if (slots < 1 || minGroup < 1 || minGroup > groups) {
      throw new IllegalArgumentException("uniform sampler: expected slots >= 1 and 1 <= minGroup <= groups, found "
          + slots + ", " + minGroup + ", " + groups);
    }
    return rng -> {
      int[] g = new int[slots];
      for (int s = 0; s < slots; s++) {
        g[s] = minGroup + rng.nextInt(groups - minGroup + 1);
      }
      return g;
    };
  }
}
