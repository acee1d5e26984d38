package org.slimj.engine.train;

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
}
