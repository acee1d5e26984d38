package org.slimj.engine.train;

import org.slimj.engine.autograd.BnCalibration;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.nn.slim.SlimBatchNorm;

/**
 * Batch-norm calibration (US-Nets §3.3): recomputes every BN layer's statistics for one
 * configuration as the equal-weight average over the given batches (not a momentum average), with
 * no gradient and no weight update, and installs them for that configuration.
 */
public final class Calibrator {
  private Calibrator() {}

  /** Calibrates {@code model} at {@code cfg} over {@code batches}. */
  public static void calibrate(SlimModel model, Kernels kernels, ChannelConfig cfg, Iterable<Batch> batches) {
    BnCalibration cal = new BnCalibration();
    Context ctx = Context.calibrate(kernels, cal);
    int seen = 0;
    for (Batch b : batches) {
      model.forward(ctx, b.images(), cfg);
      seen++;
    }
    if (seen == 0) {
      throw new IllegalArgumentException("calibration of " + cfg + " needs at least one batch");
    }
    for (SlimBatchNorm bn : model.batchNorms()) {
      bn.installCalibration(cfg, cal);
    }
  }

  /**
   * The ablation "without calibration": makes every BN layer use, at {@code cfg}, the statistics it
   * tracked during training. One forward of {@code probe} (no gradient, nothing updated) finds each
   * layer's channel count at {@code cfg}.
   */
  public static void useTrainingStatistics(SlimModel model, Kernels kernels, ChannelConfig cfg, Batch probe) {
    BnCalibration cal = new BnCalibration();
    model.forward(Context.calibrate(kernels, cal), probe.images(), cfg);
    for (SlimBatchNorm bn : model.batchNorms()) {
      bn.useRunningStatistics(cfg, cal.channels(bn.name()));
    }
  }
}
