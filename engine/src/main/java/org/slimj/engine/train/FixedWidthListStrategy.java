package org.slimj.engine.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.tensor.Tensor;

/**
 * Slimmable networks' step (Yu et al., ICLR 2019, Algorithm 1): every width of the fixed list, from
 * the largest down, learns from the labels with its own switchable BN; losses are summed by
 * back-propagating each in turn, then one optimizer step. With {@code inplaceDistillation} the
 * widths below the largest learn from its detached softmax instead (the v2 code's option).
 */
public final class FixedWidthListStrategy implements TrainingStrategy {
  private final float labelSmoothing;
  private final boolean inplaceDistillation;

  /** A fixed-list step. */
  public FixedWidthListStrategy(float labelSmoothing, boolean inplaceDistillation) {
    this.labelSmoothing = labelSmoothing;
    this.inplaceDistillation = inplaceDistillation;
  }

  @Override
  public StepResult accumulate(
      SlimModel model, Kernels kernels, Tape tape, Tensor x, int[] labels, RandomGenerator rng) {
    double[] widths = model.widthList();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < widths.length; i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingDouble((Integer i) -> widths[i]).reversed());
    List<ChannelConfig> configs = new ArrayList<>();
    for (int i : order) {
      configs.add(model.switchConfig(i));
    }
    return SandwichStrategy.runConfigs(model, kernels, tape, x, labels, rng, configs, labelSmoothing, inplaceDistillation);
  }
}
