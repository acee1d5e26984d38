package org.slimj.cli.infer;

import java.nio.file.Path;
import java.util.Optional;
import org.slimj.cli.train.BatcherSource;
import org.slimj.cli.train.RunRecord;
import org.slimj.datasets.Augment;
import org.slimj.datasets.Batcher;
import org.slimj.datasets.FashionMnist;
import org.slimj.datasets.ImageDataset;
import org.slimj.datasets.Normalization;
import org.slimj.datasets.TrainTest;
import org.slimj.engine.io.Checkpoint;
import org.slimj.engine.infer.SlimPredictor;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.nn.slim.BnKind;

/**
 * What predicting from or exporting a checkpoint needs besides its weights: the data it was
 * trained on (the training part for batch-norm calibration, the test set for predictions) and the
 * input normalization, all read from its metadata as {@code eval} reads them.
 */
final class SlimInputs {
  private SlimInputs() {}

  /** The data set of option {@code data} (DIR, "sample" or empty for the default). */
  static TrainTest data(String data) {
    return FashionMnist.resolve(Optional.ofNullable(data == null || data.isEmpty() ? null : data)).load();
  }

  /** The data option: {@code data} if given, else the checkpoint's. */
  static String dataOption(String data, Checkpoint.Loaded l, Path file) {
    return data != null ? data : RunRecord.of(l, file).dataOption();
  }

  /**
   * A predictor over the checkpoint's model. Universal BN is calibrated on {@code calibrateBatches}
   * training batches of {@code batch} images (as {@code eval} does; null: 16), or uses the
   * statistics tracked during training when that is 0.
   */
  static SlimPredictor predictor(Checkpoint.Loaded l, Path file, Kernels kernels, String data,
      Integer calibrateBatches, int batch) {
    ModelSpec ms = l.spec();
    RunRecord run = RunRecord.of(l, file);
    float[][] norm = run.normalization();
    int k = calibrateBatches != null ? calibrateBatches : (ms.bn() == BnKind.UNIVERSAL ? 16 : 0);
    SlimPredictor.Calibration cal = ms.bn() == BnKind.UNIVERSAL ? SlimPredictor.Calibration.TRAINING_STATISTICS : null;
    if (k > 0 && ms.bn() == BnKind.UNIVERSAL) {
      if (norm == null) {
        throw new IllegalArgumentException(file + ": calibration needs the data normalization (data.mean, data.std) "
            + "in the checkpoint's metadata");
      }
      RunRecord.RunData d = run.data(data);
      ImageDataset train = d.train();
      Normalization n = d.normalization();
      long seed = run.dataSeed();
      int batches = k;
      cal = cfg -> BatcherSource.once(Batcher.training(train, batch, Augment.NONE, n, seed ^ 0xCA11L, true), batches);
    }
    return new SlimPredictor(l.model(), ms.inChannels(), ms.inputSize(), kernels, norm, cal);
  }

  /** How batch norm statistics are chosen, for the export's provenance and the output. */
  static String statistics(ModelSpec ms, Integer calibrateBatches, int batch) {
    return switch (ms.bn()) {
      case SWITCHABLE -> "switchable BN: the switch's running statistics";
      case SHARED -> "shared BN: running statistics";
      case UNIVERSAL -> {
        int k = calibrateBatches != null ? calibrateBatches : 16;
        yield k > 0 ? "universal BN: calibrated on " + k + " training batches of " + batch
            : "universal BN: statistics tracked during training (no calibration)";
      }
    };
  }
}
