package org.slimj.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A directory holding an MNIST-style data set in IDX files with the usual names:
 * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}
 * and {@code t10k-labels-idx1-ubyte}, each either gzipped (name ending {@code .gz}, as Debian ships
 * them) or raw. Works for MNIST and Fashion-MNIST alike.
 */
public final class IdxDirectory {
  /** The four file names without the {@code .gz} suffix: train images, train labels, test images, test labels. */
  public static final List<String> FILE_NAMES =
      List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

  private IdxDirectory() {}

  /** The file for {@code baseName} in {@code dir}: the {@code .gz} one if present, else the raw one. */
  public static Optional<Path> find(Path dir, String baseName) {
    Path gz = dir.resolve(baseName + ".gz");
    if (Files.isRegularFile(gz)) {
      return Optional.of(gz);
    }
    Path raw = dir.resolve(baseName);
    return Files.isRegularFile(raw) ? Optional.of(raw) : Optional.empty();
  }

  /** Whether {@code dir} holds all four files. */
  public static boolean isComplete(Path dir) {
    return FILE_NAMES.stream().allMatch(n -> find(dir, n).isPresent());
  }

  /** Throws a {@link DatasetException} naming the directory and every missing file, if any is missing. */
  public static void checkComplete(Path dir, String title) {
    if (!Files.isDirectory(dir)) {
      throw new DatasetException(dir.toString(), "no such directory (expected the " + title + " IDX files in it)");
    }
    List<String> missing = new ArrayList<>();
    for (String n : FILE_NAMES) {
      if (find(dir, n).isEmpty()) {
        missing.add(n + ".gz (or " + n + ")");
      }
    }
    if (!missing.isEmpty()) {
      throw new DatasetException(dir.toString(), title + " files missing: " + String.join(", ", missing));
    }
  }

  /** Loads the training and test sets from {@code dir}; {@code title} (e.g. "Fashion-MNIST") names them. */
  public static TrainTest load(Path dir, String title, List<String> classNames) {
    checkComplete(dir, title);
    ImageDataset train = IdxReader.readDataset(
        find(dir, FILE_NAMES.get(0)).orElseThrow(),
        find(dir, FILE_NAMES.get(1)).orElseThrow(),
        title + " train (" + dir + ")",
        classNames);
    ImageDataset test = IdxReader.readDataset(
        find(dir, FILE_NAMES.get(2)).orElseThrow(),
        find(dir, FILE_NAMES.get(3)).orElseThrow(),
        title + " test (" + dir + ")",
        classNames);
    String description =
        title + " from " + dir + ": " + train.count() + " train / " + test.count() + " test images";
    return new TrainTest(train, test, description);
  }
}
