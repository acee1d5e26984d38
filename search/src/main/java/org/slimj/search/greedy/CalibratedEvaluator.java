package org.slimj.search.greedy;

import java.util.Objects;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.nn.slim.SlimBatchNorm;
import org.slimj.engine.train.Batch;
import org.slimj.engine.train.Calibrator;
import org.slimj.engine.train.Evaluator;

/**
 * The alternative evaluator of greedy slimming: calibrate batch norm at the configuration on a
 * fixed set of training batches (US-Nets §3.3), then take the top-1 error on held-out batches in
 * eval mode. The calibrated statistics are forgotten after each evaluation, so memory stays bounded
 * however many configurations the search tries (a shared batch norm, which has one set of
 * statistics, keeps the last calibration: its trained statistics are overwritten). Needs the
 * batches to be the same on every iteration (e.g. an evaluation batcher, or a training batcher
 * restarted at the same epoch).
 */
public final class CalibratedEvaluator implements ErrorEvaluator {
  private final SlimModel model;
  private final Kernels kernels;
  private final Iterable<Batch> calibration;
  private final Iterable<Batch> validation;

  /** Evaluates {@code model} on {@code validation} after calibrating on {@code calibration}. */
  public CalibratedEvaluator(SlimModel model, Kernels kernels, Iterable<Batch> calibration, Iterable<Batch> validation) {
    this.model = Objects.requireNonNull(model, "model");
    this.kernels = Objects.requireNonNull(kernels, "kernels");
    this.calibration = Objects.requireNonNull(calibration, "calibration");
    this.validation = Objects.requireNonNull(validation, "validation");
    NetworkEvaluators.requirePerConfigurationBn(model);
  }

  @Override
  public double error(ChannelConfig cfg) {
    Calibrator.calibrate(model, kernels, cfg, calibration);
    try {
      Evaluator.Result r = Evaluator.evaluate(model, kernels, cfg, validation);
      return (double) (r.count() - Math.round(r.accuracy() * r.count())) / r.count();
    } finally {
      for (SlimBatchNorm bn : model.batchNorms()) {
        bn.forgetStatistics(cfg);
      }
    }
  }
}
