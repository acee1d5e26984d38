package org.slimj.datasets;

/**
 * The training and test parts of a data set, with a one-line description of which data they are
 * and where they came from (for the output of commands). The test part is for final reports only:
 * validation data for searches is held out of {@code train} with {@link Split#holdOut}.
 */
public record TrainTest(ImageDataset train, ImageDataset test, String description) {
  /** Checks that both parts have the same image shape and classes. */
  public TrainTest {
    if (train.channels() != test.channels() || train.height() != test.height() || train.width() != test.width()) {
      throw new IllegalArgumentException(
          "train and test images differ in shape: " + train + " vs " + test);
    }
    if (!train.classNames().equals(test.classNames())) {
      throw new IllegalArgumentException("train and test classes differ: " + train + " vs " + test);
    }
  }
}
