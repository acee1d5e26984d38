package org.slimj.cli.search;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.slimj.cli.train.BatcherSource;
import org.slimj.cli.train.RunRecord;
import org.slimj.datasets.Augment;
import org.slimj.datasets.Batcher;
import org.slimj.datasets.ImageDataset;
import org.slimj.datasets.Normalization;
import org.slimj.datasets.Split;
import org.slimj.engine.io.Checkpoint;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.tensor.Tensor;
import org.slimj.engine.train.Batch;
import org.slimj.engine.train.Calibrator;
import org.slimj.engine.train.Evaluator;
import org.slimj.engine.train.TrainingMode;

/**
 * A trained checkpoint with the data a search may use: the validation images held out of training
 * exactly as the training run held them out (its {@code data.val} and {@code data.seed}), the
 * training part for BN calibration, and the run's normalization. The test set is not offered:
 * searches never choose anything on it.
 *
 * @param checkpoint the checkpoint file
 * @param loaded the model, its spec and the metadata
 * @param mode the training mode recorded in the checkpoint
 * @param train the training part (after the hold-out)
 * @param validation the held-out validation part
 * @param normalization the training run's normalization
 * @param dataSeed the seed of the training run's hold-out (also seeds calibration batches)
 * @param description which data this is, for people
 */
public record CheckpointData(Path checkpoint, Checkpoint.Loaded loaded, TrainingMode mode, ImageDataset train,
    ImageDataset validation, Normalization normalization, long dataSeed, String description) {

  /**
   * Loads {@code checkpoint} and its data; {@code dataOption} ({@code DIR}, {@code sample}, or null
   * for the data the checkpoint was trained on) may point at the same data elsewhere.
   */
  public static CheckpointData load(Path checkpoint, String dataOption) throws IOException {
    return of(checkpoint, Checkpoint.load(checkpoint), dataOption);
  }

  /** As {@link #load}, for a checkpoint already loaded from {@code checkpoint}. */
  public static CheckpointData of(Path checkpoint, Checkpoint.Loaded l, String dataOption) {
    RunRecord run = RunRecord.of(l, checkpoint);
    TrainingMode mode = run.requireMode();
    if (run.heldOut() == 0) {
      throw new IllegalArgumentException(checkpoint + ": checkpoint metadata has no 'data.val' (searches choose on the"
          + " validation images the run held out)");
    }
    RunRecord.RunData d = run.data(dataOption);
    ImageDataset v = d.validation();
    if (v.channels() != l.spec().inChannels() || v.height() != l.spec().inputSize()) {
      throw new IllegalArgumentException("the data has " + v.channels() + "x" + v.height() + "x" + v.width()
          + " images; the checkpoint's model expects " + l.spec().inChannels() + "x" + l.spec().inputSize());
    }
    return new CheckpointData(checkpoint, l, mode, d.train(), v, d.normalization(), run.dataSeed(), d.description());
  }

  /** The model. */
  public SlimModel model() {
    return loaded.model();
  }

  /**
   * One batch of {@code n} validation images in one tensor (all of them when {@code n} is at least
   * their number), chosen at random by {@code seed} and kept in file order.
   */
  public Batch validationBatch(int n, long seed) {
    if (n < 1) {
      throw new IllegalArgumentException("batch: expected at least 1 image, found " + n);
    }
    ImageDataset d = validation;
    if (n < d.count()) {
      int[] idx = Arrays.copyOf(Split.permutation(d.count(), seed), n);
      Arrays.sort(idx);
      d = d.subset(idx, d.name() + " (" + n + " chosen with seed " + seed + ")");
    }
    Batcher b = Batcher.evaluation(d, d.count(), normalization);
    if (!b.next()) {
      throw new IllegalStateException("no validation images");
    }
    float[] x = Arrays.copyOf(b.images(), d.count() * d.imageSize());
    return new Batch(Tensor.of(x, d.count(), d.channels(), d.height(), d.width()), Arrays.copyOf(b.labels(), d.count()));
  }

  /**
   * Loss and accuracy of the model at {@code cfg} on every validation image, after calibrating batch
   * norm on {@code calibrateBatches} training batches of {@code batch} images.
   */
  public Evaluator.Result evaluateOnValidation(Kernels kernels, ChannelConfig cfg, int calibrateBatches, int batch) {
    Batcher cal = Batcher.training(train, batch, Augment.NONE, normalization, dataSeed ^ 0xCA11L, true);
    Calibrator.calibrate(model(), kernels, cfg, BatcherSource.once(cal, calibrateBatches));
    Batcher eval = Batcher.evaluation(validation, batch, normalization);
    return Evaluator.evaluate(model(), kernels, cfg, BatcherSource.once(eval, Integer.MAX_VALUE));
  }
}
