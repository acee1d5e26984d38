package org.slimj.engine.train;

import org.slimj.engine.autograd.BnCalibration;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.dist.Collective;
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
   * Data-parallel calibration: rank r runs batches {@code r, r + size, r + 2·size, ...} of {@code
   * batches} (every rank passes the same sequence), then the per-layer sums and batch counts are
   * all-reduced, so every rank installs the equal-weight average over all the batches: what {@link
   * #calibrate(SlimModel, Kernels, ChannelConfig, Iterable)} computes on one worker, up to float
   * rounding.
   */
  public static void calibrate(SlimModel model, Kernels kernels, ChannelConfig cfg, Iterable<Batch> batches,
      Collective collective) {
    BnCalibration cal = new BnCalibration();
    Context ctx = Context.calibrate(kernels, cal);
    int index = 0;
    int seen = 0;
    for (Batch b : batches) {
      if (index++ % collective.size() == collective.rank()) {
        model.forward(ctx, b.images(), cfg);
        seen++;
      }
    }
    if (seen == 0) {
      throw new IllegalArgumentException("data-parallel calibration of " + cfg + ": expected at least "
          + collective.size() + " batches (one per rank), found " + index);
    }
    java.util.List<String> layers = java.util.List.copyOf(cal.layers());
    int length = 1;
    for (String layer : layers) {
      length += 2 * cal.channels(layer);
    }
    float[] sums = new float[length];
    int at = 0;
    for (String layer : layers) {
      float[] mean = cal.mean(layer);
      float[] var = cal.variance(layer);
      for (int i = 0; i < mean.length; i++) {
        sums[at + i] = mean[i] * seen;
        sums[at + mean.length + i] = var[i] * seen;
      }
      at += 2 * mean.length;
    }
    sums[length - 1] = seen;
    collective.allReduceSum(sums);
    float all = sums[length - 1];
    BnCalibration global = new BnCalibration();
    at = 0;
    for (String layer : layers) {
      int c = cal.channels(layer);
      float[] mean = new float[c];
      float[] var = new float[c];
      for (int i = 0; i < c; i++) {
        mean[i] = sums[at + i] / all;
        var[i] = sums[at + c + i] / all;
      }
      global.add(layer, c, mean, var);
      at += 2 * c;
    }
    for (SlimBatchNorm bn : model.batchNorms()) {
      bn.installCalibration(cfg, global);
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
