package org.slimj.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.optim.Sgd;
import org.slimj.engine.tensor.Tensor;
import org.slimj.engine.train.FixedWidthListStrategy;
import org.slimj.engine.train.FixedWidthsSandwich;
import org.slimj.engine.train.StepResult;
import org.slimj.engine.train.TrainingStrategy;

/**
 * One slimmable training step on a fixed random batch, ready to be timed: zero the gradients, run
 * the widths' forward and backward passes, one SGD step (lr 0.05, momentum 0.9, weight decay 4e-5,
 * as ../shared/perf/bench_torch.py). Mode {@code us}: universal BN, the widths in the order given,
 * the first learning from the labels and the others by inplace distillation (PyTorch's
 * {@code sandwich_fixed_1_.25_.75_.5} for 1.0, 0.25, 0.75, 0.5). Mode {@code sbn}: switchable BN
 * with the widths as the width list, every width on the labels, largest first.
 */
public final class SandwichStep {
  /** Learning rate of the step. */
  public static final double LR = 0.05;

  /**
   * What to build.
   *
   * @param model architecture (see {@link ModelSpec#KNOWN})
   * @param mode {@code us} or {@code sbn}
   * @param batch images per step
   * @param input image height = width
   * @param inChannels image channels
   * @param classes classes
   * @param widths uniform widths of one step, in (0, 1]
   * @param seed seed of the weights, the batch and the step
   */
  public record Settings(
      String model, String mode, int batch, int input, int inChannels, int classes, double[] widths, long seed) {
    public Settings {
      if (batch < 1 || input < 1 || inChannels < 1 || classes < 2 || widths.length == 0) {
        throw new IllegalArgumentException(
            "sandwich step: expected batch >= 1, input >= 1, in-channels >= 1, classes >= 2 and at least one"
                + " width; found " + batch + ", " + input + ", " + inChannels + ", " + classes + ", "
                + Arrays.toString(widths));
      }
      widths = widths.clone();
    }
  }

  private final Kernels kernels;
  private final SlimModel model;
  private final TrainingStrategy strategy;
  private final Sgd sgd;
  private final Tape tape = new Tape();
  private final Tensor x;
  private final int[] labels;
  private final SplittableRandom rng;

  /** Builds the model, the optimizer and the batch. */
  public SandwichStep(Kernels kernels, Settings s) {
    this.kernels = kernels;
    String mode = s.mode().trim().toLowerCase(Locale.ROOT);
    BnKind bn;
    switch (mode) {
      case "us" -> {
        bn = BnKind.UNIVERSAL;
        strategy = new FixedWidthsSandwich(s.widths(), 0f, true);
      }
      case "sbn" -> {
        bn = BnKind.SWITCHABLE;
        strategy = new FixedWidthListStrategy(0f, false);
      }
      default -> throw new IllegalArgumentException("mode: expected us or sbn, found '" + s.mode() + "'");
    }
    for (double w : s.widths()) {
      if (!(w > 0) || w > 1) {
        throw new IllegalArgumentException("widths must be in (0, 1], found " + w + " in " + Arrays.toString(s.widths()));
      }
    }
    rng = new SplittableRandom(s.seed());
    model = new ModelSpec(s.model(), 1.0, s.inChannels(), s.input(), s.classes(), bn, s.widths()).build(rng);
    sgd = new Sgd(model.parameters(), 0.9, false, 4e-5);
    x = RandomTensors.gaussian(rng, s.batch(), s.inChannels(), s.input(), s.input());
    labels = RandomTensors.labels(rng, s.batch(), s.classes());
  }

  /** Runs one step; returns what it computed (configurations and losses). */
  public StepResult run() {
    sgd.zeroGrad();
    StepResult r = strategy.accumulate(model, kernels, tape, x, labels, rng);
    sgd.step(LR);
    return r;
  }

  /** Images per step. */
  public int batch() {
    return labels.length;
  }
}
