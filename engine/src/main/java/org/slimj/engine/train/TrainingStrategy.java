package org.slimj.engine.train;

import java.util.Map;
import java.util.random.RandomGenerator;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.tensor.Tensor;

/**
 * How a slimmable training step turns one batch into accumulated gradients: which configurations
 * run, and with which losses. The trainer zeroes gradients before and takes one optimizer step
 * after; a strategy only runs forward and backward passes, whose gradients add up.
 */
public interface TrainingStrategy {
  /**
   * Runs the forward/backward passes of one step on batch x with integer labels, recording on
   * {@code tape} (reused from step to step, so its buffers are recycled).
   */
  StepResult accumulate(SlimModel model, Kernels kernels, Tape tape, Tensor x, int[] labels, RandomGenerator rng);

  /** As above with a fresh tape. */
  default StepResult accumulate(SlimModel model, Kernels kernels, Tensor x, int[] labels, RandomGenerator rng) {
    return accumulate(model, kernels, new Tape(), x, labels, rng);
  }

  /** Called by the trainer before the first step of each epoch (adaptive strategies update here). */
  default void beginEpoch(int epoch) {}

  /**
   * State the strategy learns during training (e.g. OWS credits), as checkpoint metadata; empty
   * for stateless strategies.
   */
  default Map<String, String> state() {
    return Map.of();
  }

  /** Restores the state saved by {@link #state()} from checkpoint {@code metadata} (on resume). */
  default void restore(Map<String, String> metadata) {}
}
