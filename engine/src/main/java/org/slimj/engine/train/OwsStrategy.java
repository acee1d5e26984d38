package org.slimj.engine.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.tensor.Tensor;

/**
 * OWS supernet training (AOWS, Berman et al., CVPR 2020, §3.3): AutoSlim's nonuniform sandwich step
 * (see {@link NonuniformStrategy}) that also collects per-slot, per-group loss credits. After the
 * maximum configuration (labels) and the minimum one (distillation), {@code samples - 2} random
 * configurations are drawn by a {@link GroupSampler} (uniform for OWS, the chain marginals for
 * AOWS) and learn from the maximum's soft targets; each one's credit {@code -(ℓ_rand - ℓ_max) / L}
 * goes to every slot's drawn group in {@link OwsCredits}, weighted by the batch size.
 *
 * <p>Where AOWS draws a different configuration for every image, this step runs one configuration
 * per forward pass over the whole batch (the engine's layers run one configuration at a time), so
 * a credit is the batch mean of the per-image credits. {@code ℓ} is the cross-entropy on the labels
 * for both the random and the maximum configuration (computed from the logits, without label
 * smoothing and without gradient), so a credit measures the excess loss over the maximum
 * whatever loss trains the configuration.
 */
public final class OwsStrategy implements TrainingStrategy {
  private final int groups;
  private final int minGroup;
  private final int samples;
  private final float labelSmoothing;
  private final OwsCredits credits;
  private final GroupSampler sampler;

  /**
   * @param groups channel groups per slot
   * @param minGroup smallest group allowed (the minimum configuration uses it in every slot)
   * @param samples configurations per step, at least 3 (max, min, samples - 2 random)
   * @param labelSmoothing label smoothing of the maximum configuration's loss
   * @param credits credits to update (slots and groups must match the model and {@code groups})
   * @param sampler draws the random configurations' groups
   */
  public OwsStrategy(int groups, int minGroup, int samples, float labelSmoothing, OwsCredits credits,
      GroupSampler sampler) {
    if (groups < 1 || minGroup < 1 || minGroup > groups || samples < 3) {
      throw new IllegalArgumentException("ows: expected 1 <= minGroup <= groups and samples >= 3 (max, min and at least"
          + " one random configuration to credit); found minGroup " + minGroup + ", groups " + groups + ", samples "
          + samples);
    }
    if (credits.groups() != groups) {
      throw new IllegalArgumentException("ows: credits have " + credits.groups() + " groups, expected " + groups);
    }
    this.groups = groups;
    this.minGroup = minGroup;
    this.samples = samples;
    this.labelSmoothing = labelSmoothing;
    this.credits = credits;
    this.sampler = sampler;
  }

  /** The smallest group index for width fraction {@code minFraction} (as {@link NonuniformStrategy}). */
  public static int minGroup(double minFraction, int groups) {
    if (!(minFraction > 0) || minFraction > 1 || groups < 1) {
      throw new IllegalArgumentException("expected 0 < minFraction <= 1 and groups >= 1, found " + minFraction + ", "
          + groups);
    }
    return Math.max(1, (int) Math.ceil(minFraction * groups - 1e-9));
  }

  /** The credits being collected. */
  public OwsCredits credits() {
    return credits;
  }

  /** The sampler of the random configurations. */
  public GroupSampler sampler() {
    return sampler;
  }

  /** The configuration with slot {@code s} at group {@code groupOf[s]}. */
  public static ChannelConfig config(ChannelSpace space, int[] groupOf, int groups) {
    int[] c = new int[groupOf.length];
    for (int s = 0; s < c.length; s++) {
      c[s] = space.slots().get(s).groupChannels(groupOf[s], groups);
    }
    return ChannelConfig.of(c);
  }

  @Override
  public StepResult accumulate(
      SlimModel model, Kernels kernels, Tape tape, Tensor x, int[] labels, RandomGenerator rng) {
    ChannelSpace space = model.space();
    int l = space.slots().size();
    if (credits.slots() != l) {
      throw new IllegalArgumentException("ows: credits have " + credits.slots() + " slots, the model has " + l);
    }
    List<ChannelConfig> configs = new ArrayList<>();
    List<int[]> drawn = new ArrayList<>();
    configs.add(space.max());
    int[] min = new int[l];
    Arrays.fill(min, minGroup);
    configs.add(config(space, min, groups));
    for (int i = 2; i < samples; i++) {
      int[] g = sampler.sample(rng);
      if (g.length != l) {
        throw new IllegalStateException("sampler gave " + g.length + " groups for " + l + " slots");
      }
      drawn.add(g);
      configs.add(config(space, g, groups));
    }
    double[] ce = new double[samples];
    StepResult r = SandwichStrategy.runConfigs(model, kernels, tape, x, labels, rng, configs, labelSmoothing, true,
        (logits, i) -> {
          if (i == 0 || i >= 2) {
            ce[i] = meanCrossEntropy(logits, labels);
          }
        });
    for (int i = 2; i < samples; i++) {
      credits.record(drawn.get(i - 2), -(ce[i] - ce[0]) / l, labels.length);
    }
    return r;
  }

  @Override
  public void beginEpoch(int epoch) {
    sampler.beginEpoch(epoch);
  }

  @Override
  public Map<String, String> state() {
    return credits.toMetadata();
  }

  @Override
  public void restore(Map<String, String> metadata) {
    credits.restore(metadata);
  }

  /** Mean cross-entropy of logits [N, K] against integer labels, in double precision. */
  static double meanCrossEntropy(Tensor logits, int[] labels) {
    int n = logits.dim(0);
    int k = logits.dim(1);
    float[] d = logits.data();
    int off = logits.offset();
    double sum = 0;
    for (int b = 0; b < n; b++) {
      int row = off + b * k;
      double m = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        m = Math.max(m, d[row + j]);
      }
      double z = 0;
      for (int j = 0; j < k; j++) {
        z += Math.exp(d[row + j] - m);
      }
      sum += m + Math.log(z) - d[row + labels[b]];
    }
    return sum / n;
  }
}
