package org.slimj.cli.train;

import java.util.Optional;
import org.slimj.datasets.Augment;
import org.slimj.datasets.FashionMnist;
import org.slimj.datasets.FashionMnistSource;
import org.slimj.datasets.ImageDataset;
import org.slimj.datasets.Normalization;
import org.slimj.datasets.Split;
import org.slimj.datasets.TrainTest;
import picocli.CommandLine.Option;

/** Options choosing the data: directory or embedded sample, training limit, validation split, augmentation. */
public final class DataOptions {
  @Option(names = "--data", paramLabel = "DIR|sample",
      description = "Fashion-MNIST IDX directory, or 'sample' for the embedded sample (default: the full set under"
          + " /usr/share/datasets/fashion-mnist when installed, else the sample).")
  String data;

  @Option(names = "--limit-train", paramLabel = "N", description = "Use only the first N training images (after the validation hold-out).")
  Integer limitTrain;

  @Option(names = "--val", paramLabel = "N",
      description = "Validation images held out of the training set (default: 10%% of it, at most 5000).")
  Integer validation;

  @Option(names = "--data-seed", paramLabel = "S", description = "Seed of the validation hold-out (default: ${DEFAULT-VALUE}).")
  long dataSeed = 1995;

  @Option(names = "--crop-padding", paramLabel = "P", description = "Random-crop padding in pixels, 0 = off (default: ${DEFAULT-VALUE}).")
  int cropPadding = 0;

  @Option(names = "--flip", description = "Random horizontal flips.")
  boolean flip;

  /**
   * The splits: training (after hold-out and limit), validation (held out of training), test.
   *
   * @param train training images
   * @param validation validation images held out of the training set
   * @param test test images
   * @param normalization per-channel normalization computed on the training images
   * @param description which data is used, for people
   */
  public record Splits(ImageDataset train, ImageDataset validation, ImageDataset test, Normalization normalization,
      String description) {}

  /** Loads and splits the data. */
  public Splits load() {
    FashionMnistSource src = FashionMnist.resolve(Optional.ofNullable(data));
    TrainTest tt = src.load();
    int n = tt.train().count();
    int val = validation != null ? validation : Math.min(5000, n / 10);
    if (val < 1 || val >= n) {
      throw new IllegalArgumentException("--val: expected 1 to " + (n - 1) + " validation images, found " + val);
    }
    Split.HoldOut h = Split.holdOut(tt.train(), val, dataSeed);
    ImageDataset train = h.train();
    if (limitTrain != null) {
      if (limitTrain < 1) {
        throw new IllegalArgumentException("--limit-train: expected at least 1, found " + limitTrain);
      }
      int m = Math.min(limitTrain, train.count());
      int[] idx = new int[m];
      for (int i = 0; i < m; i++) {
        idx[i] = i;
      }
      train = train.subset(idx, train.name() + " (first " + m + ")");
    }
    return new Splits(train, h.validation(), tt.test(), Normalization.computedFrom(train),
        tt.description() + "; " + train.count() + " training, " + h.validation().count() + " validation (held out of"
            + " training), " + tt.test().count() + " test images");
  }

  /** The augmentation asked for. */
  public Augment augment() {
    if (cropPadding < 0) {
      throw new IllegalArgumentException("--crop-padding: expected 0 or more, found " + cropPadding);
    }
    return new Augment(cropPadding, flip);
  }

  /** The data option as given (null when absent), for checkpoint metadata. */
  public String dataOption() {
    return data;
  }
}
