package org.slimj.engine.train;

import java.util.Arrays;
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
   * A configuration's groups and, when its slots were drawn independently of each other, each
   * slot's probabilities ({@code [slot][group - 1]}), which {@link OwsCredits} uses for control
   * variates; {@code probabilities} is null for draws whose slots are correlated.
   */
  record Drawn(int[] groups, double[][] probabilities) {}

  /** As {@link #sample} with the probabilities of the draw where known (null by default). */
  default Drawn drawn(RandomGenerator rng) {
    return new Drawn(sample(rng), null);
  }

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
    double[][] p = new double[slots][groups];
    for (double[] row : p) {
      Arrays.fill(row, minGroup - 1, groups, 1.0 / (groups - minGroup + 1));
    }
    return new GroupSampler() {
      @Override
      public int[] sample(RandomGenerator rng) {
        int[] g = new int[slots];
        for (int s = 0; s < slots; s++) {
          g[s] = minGroup + rng.nextInt(groups - minGroup + 1);
        }
        return g;
      }

      @Override
      public Drawn drawn(RandomGenerator rng) {
        return new Drawn(sample(rng), p);
      }
    };
  }
}
