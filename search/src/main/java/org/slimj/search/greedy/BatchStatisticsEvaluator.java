package org.slimj.search.greedy;

import java.util.Objects;
import org.slimj.engine.autograd.BnCalibration;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.tensor.Tensor;
import org.slimj.engine.train.Batch;
import org.slimj.engine.train.Evaluator;

/**
 * AutoSlim's evaluator for greedy slimming (arXiv 1903.11728, §3.3 "Large Batch Size"): the top-1
 * error of the model at a configuration on one fixed large batch of held-out images, in one
 * forward pass with every batch norm normalising by the statistics of that batch (no stored
 * statistics are used or changed, no gradient is recorded).
 */
public final class BatchStatisticsEvaluator implements ErrorEvaluator {
  private final SlimModel model;
  private final Kernels kernels;
  private final Batch batch;

  /**
   * Evaluates {@code model} on {@code batch} with {@code kernels}.
   *
   * @throws IllegalArgumentException if the model has switchable batch norm, or if one forward pass
   *     of the batch would need more than half the heap (the message says how much)
   */
  public BatchStatisticsEvaluator(SlimModel model, Kernels kernels, Batch batch) {
    this.model = Objects.requireNonNull(model, "model");
    this.kernels = Objects.requireNonNull(kernels, "kernels");
    this.batch = Objects.requireNonNull(batch, "batch");
    NetworkEvaluators.requirePerConfigurationBn(model);
    if (batch.size() < 2) {
      throw new IllegalArgumentException("batch statistics need a batch of at least 2 images, found " + batch.size());
    }
    for (int y : batch.labels()) {
      if (y < 0 || y >= model.classes()) {
        throw new IllegalArgumentException("batch: expected labels in [0, " + model.classes() + "), found " + y);
      }
    }
    long need = NetworkEvaluators.forwardBytes(model, batch.size());
    long heap = Runtime.getRuntime().maxMemory();
    if (need > heap / 2) {
      throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
          "a forward pass of %d images needs about %.0f MiB, more than half the heap (%.0f MiB): use a smaller batch"
              + " or a larger -Xmx", batch.size(), need / 1048576.0, heap / 1048576.0));
    }
  }

  @Override
  public double error(ChannelConfig cfg) {
    Context ctx = Context.calibrate(kernels, new BnCalibration());
    Tensor logits = model.forward(ctx, batch.images(), cfg);
    return (double) (batch.size() - Evaluator.countCorrect(logits, batch.labels())) / batch.size();
  }
}
