package org.slimj.datasets;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Which Fashion-MNIST data a run uses, as decided by {@link FashionMnist#resolve}: the files of a
 * directory or the embedded sample. {@link #description()} says which and why, for the output.
 *
 * @param kind the full set from a directory, or the embedded sample
 * @param directory the directory, for {@link Kind#DIRECTORY}
 * @param description one line naming the data and why it was chosen
 */
public record FashionMnistSource(Kind kind, Optional<Path> directory, String description) {
  /** Where the data comes from. */
  public enum Kind {
    /** IDX files in a directory (the default location or one the user gave). */
    DIRECTORY,
    /** The sample embedded in this module. */
    SAMPLE
  }

  static FashionMnistSource directory(Path dir, String origin) {
    return new FashionMnistSource(Kind.DIRECTORY, Optional.of(dir), "Fashion-MNIST from " + dir + " (" + origin + ")");
  }

  static FashionMnistSource sample(String why) {
    return new FashionMnistSource(Kind.SAMPLE, Optional.empty(), "Fashion-MNIST embedded sample (" + why + ")");
  }

  /** Whether this is the embedded sample. */
  public boolean isSample() {
    return kind == Kind.SAMPLE;
  }

  /** Reads the data; the result's description is this one followed by the image counts. */
  public TrainTest load() {
    TrainTest t = isSample() ? FashionMnist.sample() : FashionMnist.load(directory.orElseThrow());
    return new TrainTest(
        t.train(), t.test(), description + ": " + t.train().count() + " train / " + t.test().count() + " test images");
  }
}
