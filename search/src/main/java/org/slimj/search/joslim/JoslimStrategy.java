package org.slimj.search.joslim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.slimj.engine.autograd.Arena;
import org.slimj.engine.autograd.BnCalibration;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.ops.SoftmaxCrossEntropy;
import org.slimj.engine.tensor.Tensor;
import org.slimj.engine.train.Batch;
import org.slimj.engine.train.SandwichStrategy;
import org.slimj.engine.train.StepResult;
import org.slimj.engine.train.TrainingStrategy;

/**
 * Joslim's training loop (Chin et al., "Joslim: Joint Widths and Weights Optimization for Slimmable
 * Neural Networks", ECML-PKDD 2021, §4 and Algorithm 1): widths are chosen during training by
 * Gaussian-process surrogates of held-out loss and cost.
 *
 * <p>Every {@code tau} steps: the held-out loss of every visited width vector is re-scored on one
 * held-out batch, both surrogates are refitted from scratch, and {@code proposals} new width vectors
 * are proposed by {@link WidthProposer}. Every step: the sandwich rule with inplace distillation
 * over {max, the current proposals, the minimum α = lower·1}.
 *
 * <p>Fixes to the reference code's gotchas: the held-out batch comes from a validation split held
 * out of the training set (the caller supplies it; never the test set), and re-scoring normalises
 * with the batch's own statistics without touching any running statistics, records nothing and runs
 * no dropout (the context has no random generator, so a stochastic op would fail, never run).
 *
 * <p>State (the {@link JoslimHistory}: visits, current proposals, next step) is what a checkpoint
 * must keep; every random choice comes from the step's generator, so a resumed run repeats the
 * uninterrupted one.
 */
public final class JoslimStrategy implements TrainingStrategy {
  /**
   * Joslim's settings.
   *
   * @param tau steps between proposal rounds (Joslim: 625 on ImageNet), at least 1
   * @param proposals width vectors proposed per round (m = 2), at least 1
   * @param warmupProposals uniform-width proposals before the full width and the surrogates (P = 20)
   * @param lowerWidth lower end of the multiplier box (0.42)
   * @param labelSmoothing label smoothing of the full width's loss
   */
  public record Settings(int tau, int proposals, int warmupProposals, double lowerWidth, float labelSmoothing) {
    public Settings {
      if (tau < 1 || proposals < 1 || warmupProposals < 0 || !(lowerWidth > 0) || !(lowerWidth < 1)
          || !(labelSmoothing >= 0) || !(labelSmoothing < 1)) {
        throw new IllegalArgumentException("joslim: expected tau >= 1, proposals >= 1, warm-up proposals >= 0,"
            + " 0 < lower width < 1 and 0 <= label smoothing < 1; found " + tau + ", " + proposals + ", "
            + warmupProposals + ", " + lowerWidth + ", " + labelSmoothing);
      }
    }
  }

  /** Supplies the held-out batch of proposal round {@code round} (from a validation split, never the test set). */
  @FunctionalInterface
  public interface HeldOutBatches {
    /** The batch for round {@code round}; valid until the next call. */
    Batch batch(long round);
  }

  private final Settings settings;
  private final WidthProposer proposer;
  private final HeldOutBatches heldOut;
  private JoslimHistory history;
  private final Arena arena = new Arena();

  /**
   * A strategy continuing {@code history} (a new {@link JoslimHistory} to start a run).
   *
   * @param proposer widths and costs over the model's channel space
   * @param settings Joslim's settings ({@code lowerWidth} must equal the proposer's encoding's)
   * @param heldOut held-out batches for re-scoring
   * @param history the run's state, updated in place
   */
  public JoslimStrategy(WidthProposer proposer, Settings settings, HeldOutBatches heldOut, JoslimHistory history) {
    this.proposer = Objects.requireNonNull(proposer);
    this.settings = Objects.requireNonNull(settings);
    this.heldOut = Objects.requireNonNull(heldOut);
    this.history = Objects.requireNonNull(history);
    if (settings.lowerWidth() != proposer.encoding().lower()) {
      throw new IllegalArgumentException("joslim: the settings' lower width " + settings.lowerWidth()
          + " differs from the encoding's " + proposer.encoding().lower());
    }
    requireFits(history);
  }

  private void requireFits(JoslimHistory h) {
    for (Visit v : h.visits()) {
      if (v.alpha().length != proposer.encoding().dimensions()) {
        throw new IllegalArgumentException("joslim: the history's width vectors have " + v.alpha().length
            + " entries, the model has " + proposer.encoding().dimensions() + " slots");
      }
    }
  }

  /** The history as checkpoint metadata ({@link JoslimHistory#METADATA_KEY}). */
  @Override
  public Map<String, String> state() {
    return Map.of(JoslimHistory.METADATA_KEY, history.toJson());
  }

  /**
   * Continues the history saved by {@link #state()}; it must fit the model and be at the step the
   * checkpoint records ({@code train.step}, when present).
   *
   * @throws IllegalArgumentException if the history is missing, malformed, of another model or at
   *     another step
   */
  @Override
  public void restore(Map<String, String> metadata) {
    String json = metadata.get(JoslimHistory.METADATA_KEY);
    if (json == null) {
      throw new IllegalArgumentException("checkpoint metadata has no '" + JoslimHistory.METADATA_KEY + "'");
    }
    JoslimHistory h = JoslimHistory.fromJson(json, "checkpoint metadata " + JoslimHistory.METADATA_KEY);
    requireFits(h);
    String step = metadata.get("train.step");
    if (step != null && !Long.toString(h.nextStep()).equals(step.trim())) {
      throw new IllegalArgumentException("the Joslim history is at step " + h.nextStep() + ", the checkpoint at step "
          + step);
    }
    history = h;
  }

  /** The run's state (live). */
  public JoslimHistory history() {
    return history;
  }

  /** The settings. */
  public Settings settings() {
    return settings;
  }

  /** The configuration of the minimum width vector. */
  public ChannelConfig minConfig() {
    return proposer.encoding().decode(proposer.encoding().minimum());
  }

  @Override
  public StepResult accumulate(
      SlimModel model, Kernels kernels, Tape tape, Tensor x, int[] labels, RandomGenerator rng) {
    if (model.space().slots().size() != proposer.encoding().dimensions()) {
      throw new IllegalArgumentException("joslim: the model has " + model.space().slots().size() + " slots, the strategy"
          + " was built for " + proposer.encoding().dimensions());
    }
    long step = history.nextStep();
    if (step % settings.tau() == 0 || history.current().length == 0) {
      newRound(model, kernels, step, rng);
    }
    List<ChannelConfig> configs = new ArrayList<>();
    configs.add(model.space().max());
    for (int i : history.current()) {
      configs.add(proposer.encoding().decode(history.get(i).alpha()));
    }
    configs.add(minConfig());
    StepResult r = SandwichStrategy.runConfigs(model, kernels, tape, x, labels, rng, configs, settings.labelSmoothing(),
        true);
    history.setNextStep(step + 1);
    return r;
  }

  /** Re-scores every visit, refits the surrogates when needed and proposes the next width vectors. */
  private void newRound(SlimModel model, Kernels kernels, long step, RandomGenerator rng) {
    if (history.size() > 0) {
      rescore(model, kernels, heldOut.batch(step / settings.tau()));
    }
    SplittableRandom prng = new SplittableRandom(rng.nextLong());
    int first = history.size();
    WidthProposer.Surrogates s = null;
    if (proposer.needsSurrogates(first + settings.proposals() - 1)) {
      s = proposer.fit(history, prng);
    }
    int[] idx = new int[settings.proposals()];
    for (int j = 0; j < idx.length; j++) {
      WidthProposer.Proposal p = proposer.next(first + j, s, prng);
      idx[j] = history.add(new Visit(p.alpha(), proposer.costOf(p.alpha()), Double.NaN, step, p.origin()));
    }
    history.setCurrent(idx);
  }

  /** Held-out loss of every visit on {@code batch}: batch statistics, nothing recorded or updated. */
  private void rescore(SlimModel model, Kernels kernels, Batch batch) {
    for (int i = 0; i < history.size(); i++) {
      history.setLoss(i, heldOutLoss(model, kernels, proposer.encoding().decode(history.get(i).alpha()), batch));
    }
  }

  /** Cross-entropy of {@code cfg} on {@code batch}, normalising with the batch's statistics (no tape, no updates). */
  double heldOutLoss(SlimModel model, Kernels kernels, ChannelConfig cfg, Batch batch) {
    Context ctx = new Context(kernels, null, true, null, new BnCalibration(), arena);
    try {
      Tensor logits = model.forward(ctx, batch.images(), cfg);
      return SoftmaxCrossEntropy.forward(ctx, logits, batch.labels(), 0f).item();
    } finally {
      arena.reset();
    }
  }
}
