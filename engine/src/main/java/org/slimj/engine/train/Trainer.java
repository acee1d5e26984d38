package org.slimj.engine.train;

import java.util.random.RandomGenerator;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.optim.Sgd;

/**
 * One slimmable training step: zero the gradients, let the strategy accumulate the gradients of
 * all its configurations, then one SGD step.
 */
public final class Trainer {
  private final SlimModel model;
  private final Kernels kernels;
  private final TrainingStrategy strategy;
  private final Sgd optimizer;
  private final RandomGenerator rng;

  /** A trainer; {@code rng} drives the strategy's sampling and stochastic ops. */
  public Trainer(SlimModel model, Kernels kernels, TrainingStrategy strategy, Sgd optimizer, RandomGenerator rng) {
    this.model = model;
    this.kernels = kernels;
    this.strategy = strategy;
    this.optimizer = optimizer;
    this.rng = rng;
  }

  /** Runs one step on {@code batch} with learning rate {@code lr}. */
  public StepResult step(Batch batch, double lr) {
    optimizer.zeroGrad();
    StepResult r = strategy.accumulate(model, kernels, batch.images(), batch.labels(), rng);
    for (float l : r.losses()) {
      if (!Float.isFinite(l)) {
        throw new IllegalStateException(
            "training diverged: loss " + l + " at configurations " + r.configs() + " (lower the learning rate)");
      }
    }
    optimizer.step(lr);
    return r;
  }
}
