package org.slimj.engine.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.ops.DistillationLoss;
import org.slimj.engine.ops.Softmax;
import org.slimj.engine.ops.SoftmaxCrossEntropy;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.tensor.Tensor;

/**
 * OWS supernet training (AOWS, Berman et al., CVPR 2020, §3.3): AutoSlim's nonuniform sandwich step
 * (see {@link NonuniformStrategy}) that also collects per-slot, per-group loss credits. After the
 * maximum configuration (labels) and the minimum one (distillation), {@code samples - 2} random
 * passes learn from the maximum's soft targets (or from the labels without inplace distillation).
 *
 * <p>AOWS gives every image of a random pass its own configuration (it masks channels). The engine
 * slices channels, one configuration per forward pass, so each random pass here splits the batch
 * into sub-batches of about {@code creditSubBatch} images, each with its own configuration drawn
 * by the {@link GroupSampler} (uniform for OWS, the chain marginals for AOWS); a sub-batch's
 * gradient is weighted by its share of the batch, so a pass weighs as one full-batch configuration.
 * Each sub-batch gives one credit {@code -(ℓ_rand - ℓ_max) / L} with both losses the mean
 * cross-entropy on the labels over the sub-batch's images (computed from the logits, without label
 * smoothing and without gradient), recorded in {@link OwsCredits} with the draw's probabilities
 * (control variates). One configuration per batch, as before, gave 2 credits a step, too few to
 * rank ten groups per slot in a few epochs (docs/DESIGN-NOTES.md, "OWS credits").
 */
public final class OwsStrategy implements TrainingStrategy {
  private final int groups;
  private final int minGroup;
  private final int samples;
  private final float labelSmoothing;
  private final boolean inplaceDistillation;
  private final int creditSubBatch;
  private final OwsCredits credits;
  private final GroupSampler sampler;

  /**
   * @param groups channel groups per slot
   * @param minGroup smallest group allowed (the minimum configuration uses it in every slot)
   * @param samples passes per step, at least 3 (max, min and samples - 2 random passes)
   * @param labelSmoothing label smoothing of the labelled losses
   * @param inplaceDistillation if false, every configuration learns from the labels
   * @param creditSubBatch images per sub-batch of a random pass (one configuration and one credit
   *     each); the batch size or more gives one configuration per pass
   * @param credits credits to update (slots and groups must match the model and {@code groups})
   * @param sampler draws the random configurations' groups
   */
  public OwsStrategy(int groups, int minGroup, int samples, float labelSmoothing, boolean inplaceDistillation,
      int creditSubBatch, OwsCredits credits, GroupSampler sampler) {
    if (groups < 1 || minGroup < 1 || minGroup > groups || samples < 3 || creditSubBatch < 1) {
      throw new IllegalArgumentException("ows: expected 1 <= minGroup <= groups, samples >= 3 (max, min and at least"
          + " one random configuration to credit) and a sub-batch >= 1; found minGroup " + minGroup + ", groups "
          + groups + ", samples " + samples + ", sub-batch " + creditSubBatch);
    }
    if (credits.groups() != groups) {
      throw new IllegalArgumentException("ows: credits have " + credits.groups() + " groups, expected " + groups);
    }
    this.groups = groups;
    this.minGroup = minGroup;
    this.samples = samples;
    this.labelSmoothing = labelSmoothing;
    this.inplaceDistillation = inplaceDistillation;
    this.creditSubBatch = creditSubBatch;
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

  /** Start of each sub-batch of a batch of {@code n} images, plus {@code n} at the end. */
  static int[] subBatchBounds(int n, int subBatch) {
    int parts = Math.max(1, n / subBatch);
    int[] b = new int[parts + 1];
    for (int k = 0; k <= parts; k++) {
      b[k] = (int) ((long) n * k / parts);
    }
    return b;
  }

  @Override
  public StepResult accumulate(
      SlimModel model, Kernels kernels, Tape tape, Tensor x, int[] labels, RandomGenerator rng) {
    ChannelSpace space = model.space();
    int l = space.slots().size();
    if (credits.slots() != l) {
      throw new IllegalArgumentException("ows: credits have " + credits.slots() + " slots, the model has " + l);
    }
    int n = labels.length;
    Context ctx = Context.train(kernels, tape, rng);
    List<ChannelConfig> configs = new ArrayList<>();
    List<Float> losses = new ArrayList<>();

    Tensor maxLogits = model.forward(ctx, x, space.max());
    int firstCorrect = Evaluator.countCorrect(maxLogits, labels);
    double[] ceMax = crossEntropies(maxLogits, labels);
    Tensor teacher = inplaceDistillation ? Softmax.probabilities(kernels, maxLogits) : null;
    Tensor loss = SoftmaxCrossEntropy.forward(ctx, maxLogits, labels, labelSmoothing);
    run(tape, space.max(), loss, 1f, configs, losses);

    int[] min = new int[l];
    Arrays.fill(min, minGroup);
    ChannelConfig minConfig = config(space, min, groups);
    Tensor minLogits = model.forward(ctx, x, minConfig);
    run(tape, minConfig, studentLoss(ctx, minLogits, labels, teacher, 0, n), 1f, configs, losses);

    int[] bounds = subBatchBounds(n, creditSubBatch);
    for (int i = 2; i < samples; i++) {
      for (int k = 0; k + 1 < bounds.length; k++) {
        int from = bounds[k];
        int to = bounds[k + 1];
        GroupSampler.Drawn d = sampler.drawn(rng);
        if (d.groups().length != l) {
          throw new IllegalStateException("sampler gave " + d.groups().length + " groups for " + l + " slots");
        }
        ChannelConfig c = config(space, d.groups(), groups);
        Tensor logits = model.forward(ctx, rows(x, from, to), c);
        int[] sub = Arrays.copyOfRange(labels, from, to);
        double ce = mean(crossEntropies(logits, sub), 0, to - from);
        run(tape, c, studentLoss(ctx, logits, labels, teacher, from, to), (float) (to - from) / n, configs, losses);
        credits.record(d.groups(), -(ce - mean(ceMax, from, to)) / l, to - from, d.probabilities());
      }
    }
    float[] ls = new float[losses.size()];
    for (int i = 0; i < ls.length; i++) {
      ls[i] = losses.get(i);
    }
    return new StepResult(List.copyOf(configs), ls, firstCorrect);
  }

  /** Back-propagates {@code loss} weighted by {@code weight}, noting the configuration and its loss. */
  private static void run(Tape tape, ChannelConfig c, Tensor loss, float weight, List<ChannelConfig> configs,
      List<Float> losses) {
    configs.add(c);
    losses.add(loss.item());
    tape.backward(loss, new float[] {weight});
  }

  /** The loss of images {@code [from, to)}: soft targets from the teacher, or the labels without one. */
  private Tensor studentLoss(Context ctx, Tensor logits, int[] labels, Tensor teacher, int from, int to) {
    if (teacher == null) {
      return SoftmaxCrossEntropy.forward(ctx, logits, Arrays.copyOfRange(labels, from, to), labelSmoothing);
    }
    return DistillationLoss.forward(ctx, logits, rows(teacher, from, to));
  }

  /** Rows {@code [from, to)} of {@code t} along its first dimension, as a view. */
  private static Tensor rows(Tensor t, int from, int to) {
    if (from == 0 && to == t.dim(0)) {
      return t;
    }
    int[] shape = t.shape();
    int per = t.size() / shape[0];
    shape[0] = to - from;
    return Tensor.view(t.data(), t.offset() + from * per, shape);
  }

  private static double mean(double[] v, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += v[i];
    }
    return s / (to - from);
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

  /** Cross-entropy of each row of logits [N, K] against integer labels, in double precision. */
  static double[] crossEntropies(Tensor logits, int[] labels) {
    int n = logits.dim(0);
    int k = logits.dim(1);
    float[] d = logits.data();
    int off = logits.offset();
    double[] out = new double[n];
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
      out[b] = m + Math.log(z) - d[row + labels[b]];
    }
    return out;
  }
}
