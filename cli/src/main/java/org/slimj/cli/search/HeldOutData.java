package org.slimj.cli.search;

import org.slimj.cli.train.RunSettings;
import java.util.Map;
import java.util.Optional;
import org.slimj.cli.train.BatcherSource;
import org.slimj.datasets.Augment;
import org.slimj.datasets.Batcher;
import org.slimj.datasets.FashionMnist;
import org.slimj.datasets.ImageDataset;
import org.slimj.datasets.Normalization;
import org.slimj.datasets.Split;
import org.slimj.datasets.TrainTest;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.train.Calibrator;
import org.slimj.engine.train.Evaluator;

/**
 * The training and held-out validation split a checkpoint was trained with (from its {@code
 * data.*} metadata), for searches that rank configurations by accuracy: never the test set.
 *
 * @param train training part (calibration batches come from here)
 * @param validation the held-out part
 * @param normalization the training run's normalization
 * @param seed the data seed
 * @param description what data this is
 */
record HeldOutData(ImageDataset train, ImageDataset validation, Normalization normalization, long seed,
    String description) {

  /** The split of the checkpoint whose metadata is {@code meta}; {@code data} overrides its data option. */
  static HeldOutData of(Map<String, String> meta, String data, String file) {
    String opt = data != null ? data : meta.getOrDefault("data.option", "");
    TrainTest tt = FashionMnist.resolve(Optional.ofNullable(opt.isEmpty() ? null : opt)).load();
    int val = Integer.parseInt(RunSettings.get(meta, "data.val", file));
    long seed = Long.parseLong(RunSettings.get(meta, "data.seed", file));
    if (val < 1 || val >= tt.train().count()) {
      throw new IllegalArgumentException(file + ": data.val " + val + " does not fit the " + tt.train().count()
          + " training images of " + tt.description());
    }
    Split.HoldOut h = Split.holdOut(tt.train(), val, seed);
    Normalization n = Normalization.of(RunSettings.parseFloats(RunSettings.get(meta, "data.mean", file), "data.mean"),
        RunSettings.parseFloats(RunSettings.get(meta, "data.std", file), "data.std"));
    return new HeldOutData(h.train(), h.validation(), n, seed, tt.description() + "; " + h.validation().count()
        + " validation images held out of training");
  }

  /** Validation accuracy of {@code cfg} after calibrating batch norm on {@code calibrate} training batches. */
  double accuracy(SlimModel model, Kernels kernels, ChannelConfig cfg, int calibrate, int batch) {
    Batcher cal = Batcher.training(train, batch, Augment.NONE, normalization, seed ^ 0xCA11L, true);
    Calibrator.calibrate(model, kernels, cfg, BatcherSource.once(cal, calibrate));
    Batcher eval = Batcher.evaluation(validation, batch, normalization);
    return Evaluator.evaluate(model, kernels, cfg, BatcherSource.once(eval, Integer.MAX_VALUE)).accuracy();
  }


}
