package org.slimj.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.tensor.Tensor;

/**
 * The ablation baseline of US-Nets §4 (Table 2, "random"): per step {@code samples} widths drawn
 * uniformly from the range, each learning from the labels, with neither the sandwich rule nor
 * inplace distillation.
 */
public final class RandomWidthStrategy implements TrainingStrategy {
  private final double minWidth;
  private final double maxWidth;
  private final int samples;
  private final float labelSmoothing;

  /** Draws {@code samples} widths in [minWidth, maxWidth] per step. */
  public RandomWidthStrategy(double minWidth, double maxWidth, int samples, float labelSmoothing) {
    if (!(minWidth > 0) || minWidth > maxWidth || samples < 1) {
      throw new IllegalArgumentException(
          "random widths: expected 0 < min <= max and samples >= 1, found " + minWidth + ", " + maxWidth + ", "
              + samples);
    }
    this.minWidth = minWidth;
    this.maxWidth = maxWidth;
    this.samples = samples;
    this.labelSmoothing = labelSmoothing;
  }

  @Override
  public StepResult accumulate(
      SlimModel model, Kernels kernels, Tape tape, Tensor x, int[] labels, RandomGenerator rng) {
    List<ChannelConfig> configs = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      configs.add(model.uniform(minWidth + (maxWidth - minWidth) * rng.nextDouble()));
    }
    return SandwichStrategy.runConfigs(model, kernels, tape, x, labels, rng, configs, labelSmoothing, false);
  }
}
