package org.slimj.engine.train;

import java.util.List;
import java.util.random.RandomGenerator;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.tensor.Tensor;

/**
 * One fixed configuration trained alone on the labels: an individually trained network, used to
 * retrain searched configurations and as the baseline slimmable networks are compared with.
 */
public final class SingleConfigStrategy implements TrainingStrategy {
  private final ChannelConfig config;
  private final float labelSmoothing;

  /** Trains {@code config} only. */
  public SingleConfigStrategy(ChannelConfig config, float labelSmoothing) {
    this.config = config;
    this.labelSmoothing = labelSmoothing;
  }

  /** The configuration trained. */
  public ChannelConfig config() {
    return config;
  }

  @Override
  public StepResult accumulate(
      SlimModel model, Kernels kernels, Tape tape, Tensor x, int[] labels, RandomGenerator rng) {
    return SandwichStrategy.runConfigs(model, kernels, tape, x, labels, rng, List.of(config), labelSmoothing, false);
  }
}
