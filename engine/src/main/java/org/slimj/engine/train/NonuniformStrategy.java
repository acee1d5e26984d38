package org.slimj.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.space.Slot;
import org.slimj.engine.tensor.Tensor;

/**
 * AutoSlim's supernet step (Yu &amp; Huang, AutoSlim, arXiv 1903.11728, §3.2): every slot's channel
 * count is drawn independently among {@code groups} equal channel groups (slots shared by residual
 * adds are drawn once, being one slot), and the step follows the sandwich rule with inplace
 * distillation: the maximum configuration learns from labels, the minimum configuration and
 * {@code samples - 2} random configurations from its detached softmax (or from the labels, without
 * inplace distillation).
 */
public final class NonuniformStrategy implements TrainingStrategy {
  private final int groups;
  private final double minFraction;
  private final int samples;
  private final float labelSmoothing;
  private final boolean inplaceDistillation;

  /**
   * @param groups channel groups per slot (AutoSlim: 10)
   * @param minFraction smallest fraction of a slot's maximum channels that may be drawn
   * @param samples configurations per step, at least 2
   * @param labelSmoothing label smoothing of the labelled losses
   * @param inplaceDistillation if false, every configuration learns from the labels
   */
  public NonuniformStrategy(int groups, double minFraction, int samples, float labelSmoothing,
      boolean inplaceDistillation) {
    if (groups < 1 || !(minFraction > 0) || minFraction > 1 || samples < 2) {
      throw new IllegalArgumentException(
          "nonuniform: expected groups >= 1, 0 < minFraction <= 1, samples >= 2; found " + groups + ", "
              + minFraction + ", " + samples);
    }
    this.groups = groups;
    this.minFraction = minFraction;
    this.samples = samples;
    this.labelSmoothing = labelSmoothing;
    this.inplaceDistillation = inplaceDistillation;
  }

  /** Smallest group index allowed: the first group holding at least {@code minFraction} of the channels. */
  int minGroup() {
    return Math.max(1, (int) Math.ceil(minFraction * groups - 1e-9));
  }

  /** The configuration with every slot at its smallest allowed group. */
  public ChannelConfig minConfig(ChannelSpace space) {
    int[] c = new int[space.slots().size()];
    for (int i = 0; i < c.length; i++) {
      c[i] = space.slots().get(i).groupChannels(minGroup(), groups);
    }
    return ChannelConfig.of(c);
  }

  /** A configuration with each slot's group drawn uniformly from the allowed groups. */
  public ChannelConfig sample(ChannelSpace space, RandomGenerator rng) {
    int lo = minGroup();
    int[] c = new int[space.slots().size()];
    for (int i = 0; i < c.length; i++) {
      Slot s = space.slots().get(i);
      c[i] = s.groupChannels(lo + rng.nextInt(groups - lo + 1), groups);
    }
    return ChannelConfig.of(c);
  }

  @Override
  public StepResult accumulate(
      SlimModel model, Kernels kernels, Tape tape, Tensor x, int[] labels, RandomGenerator rng) {
    ChannelSpace space = model.space();
    List<ChannelConfig> configs = new ArrayList<>();
    configs.add(space.max());
    configs.add(minConfig(space));
    for (int i = 2; i < samples; i++) {
      configs.add(sample(space, rng));
    }
    return SandwichStrategy.runConfigs(model, kernels, tape, x, labels, rng, configs, labelSmoothing, inplaceDistillation);
  }
}
