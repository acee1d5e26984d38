package org.slimj.engine.train;

import java.util.Objects;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.dist.Collective;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.optim.LrSchedule;
import org.slimj.engine.optim.Sgd;

/**
 * The epoch loop of slimmable training: for each batch, zero the gradients, let the strategy
 * accumulate the gradients of its configurations, take one SGD step at the scheduled learning
 * rate. Step {@code s} draws its random choices from {@link Seeds#forStep}, so a run resumed from a
 * checkpoint at an epoch boundary continues exactly as the uninterrupted run would.
 *
 * <p>{@link #dataParallel} makes the same loop synchronous data-parallel: every rank reads the same
 * global batches, trains on its contiguous shard of each, and the gradients are all-reduced to the
 * whole batch's mean before the optimizer step (see {@code DataParallel}); the same step seeds give
 * every rank the same widths. Listeners then see the global batch and the whole batch's losses.
 */
public final class TrainingRun {
  /** Receives progress; {@link #epochEnd} is where checkpoints are written. */
  public interface Listener {
    /** After each step. */
    default void step(int epoch, long step, double lr, Batch batch, StepResult result) {}

    /** After the last step of an epoch; {@code nextStep} is the global step the next epoch starts at. */
    default void epochEnd(int epoch, long nextStep) {}
  }

  private final SlimModel model;
  private final Kernels kernels;
  private final TrainingStrategy strategy;
  private final Sgd optimizer;
  private final LrSchedule schedule;
  private final long seed;
  private final Collective collective;

  /** A run of {@code strategy} on {@code model}, learning rate per global step from {@code schedule}. */
  public TrainingRun(SlimModel model, Kernels kernels, TrainingStrategy strategy, Sgd optimizer, LrSchedule schedule,
      long seed) {
    this(model, kernels, strategy, optimizer, schedule, seed, null);
  }

  private TrainingRun(SlimModel model, Kernels kernels, TrainingStrategy strategy, Sgd optimizer, LrSchedule schedule,
      long seed, Collective collective) {
    this.model = Objects.requireNonNull(model);
    this.kernels = Objects.requireNonNull(kernels);
    this.strategy = Objects.requireNonNull(strategy);
    this.optimizer = Objects.requireNonNull(optimizer);
    this.schedule = Objects.requireNonNull(schedule);
    this.seed = seed;
    this.collective = collective;
  }

  /**
   * This run made data-parallel over {@code collective}: the data source must give every rank the
   * same global batches (same seed); each rank trains on its shard, starting from rank 0's state.
   * Only strategies whose choices depend on the step seed alone keep the ranks in step (not ones
   * that adapt to their own losses, such as OWS credits or Joslim).
   */
  public TrainingRun dataParallel(Collective collective) {
    return new TrainingRun(model, kernels, strategy, optimizer, schedule, seed, Objects.requireNonNull(collective));
  }

  /** Runs epochs {@code [fromEpoch, toEpoch)} starting at global step {@code fromStep}; returns the next step. */
  public long run(BatchSource data, int fromEpoch, int toEpoch, long fromStep, Listener listener) {
    long step = fromStep;
    Tape tape = new Tape();
    DataParallel dp = collective == null ? null : new DataParallel(model, optimizer, collective);
    if (dp != null) {
      dp.broadcastState();
    }
    for (int epoch = fromEpoch; epoch < toEpoch; epoch++) {
      strategy.beginEpoch(epoch);
      for (Batch b : data.epoch(epoch)) {
        double lr = schedule.at((int) Math.min(Integer.MAX_VALUE, step));
        optimizer.zeroGrad();
        Batch local = dp == null ? b : dp.shard(b);
        StepResult r = strategy.accumulate(model, kernels, tape, local.images(), local.labels(),
            Seeds.forStep(seed, 1, step));
        if (dp != null) {
          r = dp.allReduce(r, local.size());
        }
        for (float l : r.losses()) {
          if (!Float.isFinite(l)) {
            throw new IllegalStateException("training diverged at step " + step + ": loss " + l + " at " + r.configs()
                + " (lower the learning rate or add warm-up)");
          }
        }
        optimizer.step(lr);
        listener.step(epoch, step, lr, b, r);
        step++;
      }
      if (dp != null) {
        dp.averageBatchNormBuffers();
      }
      listener.epochEnd(epoch, step);
    }
    return step;
  }
}
