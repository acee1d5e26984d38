package org.slimj.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ObjIntConsumer;
import java.util.random.RandomGenerator;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.ops.DistillationLoss;
import org.slimj.engine.ops.SoftmaxCrossEntropy;
import org.slimj.engine.ops.Softmax;
import org.slimj.engine.tensor.Tensor;

/**
 * The sandwich rule with inplace distillation (Yu &amp; Huang, Universally Slimmable Networks, ICCV
 * 2019, §4 and Algorithm 1): per step the largest width learns from the labels, then the smallest
 * width and {@code n - 2} widths drawn uniformly from the range learn from the largest width's
 * detached softmax. Each width's loss is back-propagated in turn, so gradients are summed.
 */
public final class SandwichStrategy implements TrainingStrategy {
  private final double minWidth;
  private final double maxWidth;
  private final int samples;
  private final float labelSmoothing;
  private final boolean inplaceDistillation;

  /**
   * @param minWidth smallest width of the range
   * @param maxWidth largest width of the range
   * @param samples widths per step, at least 2 (max, min and samples - 2 random)
   * @param labelSmoothing label smoothing of the largest width's loss
   * @param inplaceDistillation if false, every width learns from the labels
   */
  public SandwichStrategy(double minWidth, double maxWidth, int samples, float labelSmoothing, boolean inplaceDistillation) {
    if (!(minWidth > 0) || !(maxWidth <= 1.0) || minWidth > maxWidth || samples < 2) {
      throw new IllegalArgumentException(
          "sandwich: expected 0 < min <= max <= 1 and at least 2 samples, found min=" + minWidth
              + ", max=" + maxWidth + ", samples=" + samples);
    }
    this.minWidth = minWidth;
    this.maxWidth = maxWidth;
    this.samples = samples;
    this.labelSmoothing = labelSmoothing;
    this.inplaceDistillation = inplaceDistillation;
  }

  /** The widths of one step: max, min, then {@code samples - 2} uniform draws. */
  public double[] widths(RandomGenerator rng) {
    double[] w = new double[samples];
    w[0] = maxWidth;
    w[1] = minWidth;
    for (int i = 2; i < samples; i++) {
      w[i] = minWidth + (maxWidth - minWidth) * rng.nextDouble();
    }
    return w;
  }

  @Override
  public StepResult accumulate(
      SlimModel model, Kernels kernels, Tape tape, Tensor x, int[] labels, RandomGenerator rng) {
    double[] widths = widths(rng);
    List<ChannelConfig> configs = new ArrayList<>();
    for (double w : widths) {
      configs.add(model.uniform(w));
    }
    return runConfigs(model, kernels, tape, x, labels, rng, configs, labelSmoothing, inplaceDistillation);
  }

  /**
   * Runs the given configurations in order: the first learns from the labels, the others from its
   * detached softmax (or from the labels when distillation is off), each backward accumulating.
   * Strategies that choose their configurations elsewhere (e.g. Joslim's in the search module) call
   * this for the step itself.
   */
  public static StepResult runConfigs(
      SlimModel model, Kernels kernels, Tape tape, Tensor x, int[] labels, RandomGenerator rng,
      List<ChannelConfig> configs, float labelSmoothing, boolean distill) {
    return runConfigs(model, kernels, tape, x, labels, rng, configs, labelSmoothing, distill, null);
  }

  /**
   * As above; {@code onLogits}, if not null, sees each configuration's logits (with its index)
   * right after its forward pass, before the backward pass recycles them.
   */
  static StepResult runConfigs(
      SlimModel model, Kernels kernels, Tape tape, Tensor x, int[] labels, RandomGenerator rng,
      List<ChannelConfig> configs, float labelSmoothing, boolean distill, ObjIntConsumer<Tensor> onLogits) {
    Context ctx = Context.train(kernels, tape, rng);
    float[] losses = new float[configs.size()];
    Tensor teacher = null;
    int firstCorrect = 0;
    for (int i = 0; i < configs.size(); i++) {
      Tensor logits = model.forward(ctx, x, configs.get(i));
      if (onLogits != null) {
        onLogits.accept(logits, i);
      }
      if (i == 0) {
        firstCorrect = Evaluator.countCorrect(logits, labels);
      }
      Tensor loss;
      if (i == 0 || !distill) {
        loss = SoftmaxCrossEntropy.forward(ctx, logits, labels, labelSmoothing);
        if (i == 0 && distill) {
          teacher = Softmax.probabilities(kernels, logits);
        }
      } else {
        loss = DistillationLoss.forward(ctx, logits, teacher);
      }
      losses[i] = loss.item();
      tape.backward(loss);
    }
    return new StepResult(List.copyOf(configs), losses, firstCorrect);
  }
}
