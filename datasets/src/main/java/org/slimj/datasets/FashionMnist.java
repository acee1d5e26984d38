package org.slimj.datasets;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Fashion-MNIST (Zalando Research; 28×28 grayscale, 10 classes, 60,000 train / 10,000 test
 * images): the full set from a directory, or the small sample embedded in this module.
 *
 * <p>Which data is used is decided by {@link #resolve}: a directory given by the user, the word
 * {@value #SAMPLE_OPTION}, or (nothing given) the Debian package's directory {@link #DEFAULT_DIR}
 * when it holds the files, else the embedded sample. The resolved {@link FashionMnistSource}
 * describes the choice so that commands can print which data they use.
 *
 * <p>The embedded sample holds the first {@value #SAMPLE_TRAIN_PER_CLASS} training images of each
 * class and the first {@value #SAMPLE_TEST_PER_CLASS} test images of each class, in file order
 * ({@link Split#firstPerClass}); it is MIT-licensed like the data set (see
 * {@code fashion-mnist-sample/LICENSE-fashion-mnist.txt} next to it).
 */
public final class FashionMnist {
  /** Where Debian's {@code dataset-fashion-mnist} package installs the data set. */
  public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  /** The value of a data option that asks for the embedded sample. */
  public static final String SAMPLE_OPTION = "sample";

  /** Class names, indexed by label. */
  public static final List<String> CLASS_NAMES = List.of(
      "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  /** Training images per class in the embedded sample. */
  public static final int SAMPLE_TRAIN_PER_CLASS = 400;

  /** Test images per class in the embedded sample. */
  public static final int SAMPLE_TEST_PER_CLASS = 100;

  /** Classpath folder of the embedded sample, relative to this class. */
  static final String SAMPLE_RESOURCE_DIR = "fashion-mnist-sample/";

  private static final String TITLE = "Fashion-MNIST";

  private FashionMnist() {}

  /** Decides which data to use, with {@link #DEFAULT_DIR} as the default location. */
  public static FashionMnistSource resolve(Optional<String> data) {
    return resolve(data, DEFAULT_DIR);
  }

  /**
   * Decides which data to use: {@code data} names a directory (which must hold the four files) or
   * is {@value #SAMPLE_OPTION}; when it is empty, the full set in {@code defaultDir} if all four
   * files are there, else the embedded sample. Nothing is read yet.
   */
  public static FashionMnistSource resolve(Optional<String> data, Path defaultDir) {
    if (data.isPresent()) {
      if (data.get().equals(SAMPLE_OPTION)) {
        return FashionMnistSource.sample("asked for");
      }
      Path dir = Path.of(data.get());
      IdxDirectory.checkComplete(dir, TITLE);
      return FashionMnistSource.directory(dir, "given directory");
    }
    if (IdxDirectory.isComplete(defaultDir)) {
      return FashionMnistSource.directory(defaultDir, "default location");
    }
    return FashionMnistSource.sample(
        "the full data set was not found in " + defaultDir
            + "; install the Debian package dataset-fashion-mnist or give a directory");
  }

  /** Loads the full training and test sets from {@code dir}. */
  public static TrainTest load(Path dir) {
    return IdxDirectory.load(dir, TITLE, CLASS_NAMES);
  }

  /** Loads the embedded sample from the classpath. */
  public static TrainTest sample() {
    ImageDataset train = sampleResource(0, "train");
    ImageDataset test = sampleResource(2, "test");
    return new TrainTest(
        train, test, TITLE + " embedded sample: " + train.count() + " train / " + test.count() + " test images");
  }

  private static ImageDataset sampleResource(int first, String part) {
    String imagesName = SAMPLE_RESOURCE_DIR + IdxDirectory.FILE_NAMES.get(first) + ".gz";
    String labelsName = SAMPLE_RESOURCE_DIR + IdxDirectory.FILE_NAMES.get(first + 1) + ".gz";
    IdxReader.Images images = IdxReader.readImages(openResource(imagesName), resourceName(imagesName));
    int[] labels = IdxReader.readLabels(openResource(labelsName), resourceName(labelsName), CLASS_NAMES.size());
    return IdxReader.combine(
        images, resourceName(imagesName), labels, resourceName(labelsName),
        TITLE + " embedded sample " + part, CLASS_NAMES);
  }

  private static InputStream openResource(String relative) {
    InputStream in = FashionMnist.class.getResourceAsStream(relative);
    if (in == null) {
      throw new DatasetException(resourceName(relative), "embedded sample file missing from the classpath");
    }
    return in;
  }

  private static String resourceName(String relative) {
    return "classpath:/" + FashionMnist.class.getPackageName().replace('.', '/') + "/" + relative;
  }
}
