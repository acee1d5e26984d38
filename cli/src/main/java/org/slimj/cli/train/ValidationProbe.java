package org.slimj.cli.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slimj.datasets.Augment;
import org.slimj.datasets.Batcher;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.train.Calibrator;
import org.slimj.engine.train.Evaluator;
import org.slimj.engine.train.NonuniformStrategy;
import org.slimj.engine.train.TrainingMode;
import org.slimj.search.joslim.WidthEncoding;

/**
 * End-of-epoch validation: accuracy on the held-out validation images at the smallest and largest
 * configuration of the run (after BN calibration on training batches when the mode needs it).
 */
final class ValidationProbe {
  private final SlimModel model;
  private final Kernels kernels;
  private final TrainingMode mode;
  private final DataOptions.Splits data;
  private final int batch;
  private final int calibrateBatches;
  private final long seed;
  private final Map<String, ChannelConfig> targets = new LinkedHashMap<>();

  ValidationProbe(SlimModel model, Kernels kernels, TrainingMode mode, TrainingMode.Settings s, DataOptions.Splits data,
      int batch, int calibrateBatches, long seed) {
    this.model = model;
    this.kernels = kernels;
    this.mode = mode;
    this.data = data;
    this.batch = batch;
    this.calibrateBatches = calibrateBatches;
    this.seed = seed;
    switch (mode) {
      case SINGLE -> targets.put("single", s.single());
      case NONUNIFORM, OWS, AOWS, MULTIPLATFORM -> {
        targets.put("min", new NonuniformStrategy(s.groups(), s.minWidth() / s.maxWidth(), s.samples(), 0f, true).minConfig(model.space()));
        targets.put("max", model.space().max());
      }
      case SBN, NAIVE -> {
        double[] w = model.widthList();
        targets.put(fmt(min(w)), model.configAt(min(w)));
        targets.put(fmt(max(w)), model.configAt(max(w)));
      }
      case JOSLIM -> {
        WidthEncoding e = new WidthEncoding(model.space(), s.minWidth());
        targets.put("min", e.decode(e.minimum()));
        targets.put("max", model.space().max());
      }
      case US -> {
        targets.put(fmt(s.minWidth()), model.uniform(s.minWidth()));
        targets.put(fmt(s.maxWidth()), model.uniform(s.maxWidth()));
      }
    }
  }

  private static double min(double[] w) {
    return java.util.Arrays.stream(w).min().orElseThrow();
  }

  private static double max(double[] w) {
    return java.util.Arrays.stream(w).max().orElseThrow();
  }

  private static String fmt(double w) {
    return String.format(Locale.ROOT, "w%.2f", w);
  }

  /** MACs of the targets, for the run's header line. */
  String describeCosts() {
    StringBuilder sb = new StringBuilder();
    targets.forEach((name, cfg) -> sb.append(sb.length() == 0 ? "" : ", ")
        .append(String.format(Locale.ROOT, "%s %.2f M", name, model.space().macs(cfg) / 1e6)));
    return sb.toString();
  }

  /** Validation accuracy per target. */
  Map<String, Double> validate() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, ChannelConfig> e : targets.entrySet()) {
      if (mode.needsCalibration()) {
        Batcher cal = Batcher.training(data.train(), batch, Augment.NONE, data.normalization(), seed ^ 0x5EEDCA1L, true);
        Calibrator.calibrate(model, kernels, e.getValue(), BatcherSource.once(cal, calibrateBatches));
      }
      Batcher val = Batcher.evaluation(data.validation(), Math.max(batch, 256), data.normalization());
      out.put(e.getKey(), Evaluator.evaluate(model, kernels, e.getValue(), BatcherSource.once(val, Integer.MAX_VALUE)).accuracy());
    }
    return out;
  }
}
