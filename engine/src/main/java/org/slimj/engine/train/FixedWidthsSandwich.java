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
 * A sandwich step over a fixed sequence of uniform widths, run in the order given: the first width
 * learns from the labels, the others from its detached softmax (inplace distillation) or from the
 * labels, each backward accumulating. It is {@link SandwichStrategy} with its random draws replaced
 * by given widths, so that a step is the same every time: what benchmarks time (for example
 * 1.0, 0.25, 0.75, 0.5, the fixed sandwich of ../shared/perf/bench_torch.py).
 */
public final class FixedWidthsSandwich implements TrainingStrategy {
  private final double[] widths;
  private final float labelSmoothing;
  private final boolean inplaceDistillation;

  /**
   * @param widths uniform widths in the order they run, at least one, each in (0, 1]
   * @param labelSmoothing label smoothing of the labelled losses
   * @param inplaceDistillation if false, every width learns from the labels
   */
  public FixedWidthsSandwich(double[] widths, float labelSmoothing, boolean inplaceDistillation) {
    if (widths.length == 0) {
      throw new IllegalArgumentException("fixed sandwich: expected at least one width, found none");
    }
    for (double w : widths) {
      if (!(w > 0) || w > 1.0) {
        throw new IllegalArgumentException(
            "fixed sandwich: widths must be in (0, 1], found " + w + " in " + java.util.Arrays.toString(widths));
      }
    }
    this.widths = widths.clone();
    this.labelSmoothing = labelSmoothing;
    this.inplaceDistillation = inplaceDistillation;
  }

  /** The widths of every step, in order (a copy). */
  public double[] widths() {
    return widths.clone();
  }

  @Override
  public StepResult accumulate(
      SlimModel model, Kernels kernels, Tape tape, Tensor x, int[] labels, RandomGenerator rng) {
    List<ChannelConfig> configs = new ArrayList<>(widths.length);
    for (double w : widths) {
      configs.add(model.uniform(w));
    }
    return SandwichStrategy.runConfigs(
        model, kernels, tape, x, labels, rng, configs, labelSmoothing, inplaceDistillation);
  }
}
