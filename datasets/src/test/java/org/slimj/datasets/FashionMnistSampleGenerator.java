package org.slimj.datasets;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds the embedded Fashion-MNIST sample from the full data set: the first
 * {@value FashionMnist#SAMPLE_TRAIN_PER_CLASS} training and {@value FashionMnist#SAMPLE_TEST_PER_CLASS}
 * test images of each class, in file order, written as gzipped IDX files. Run from the module
 * folder after {@code mvn test-compile}:
 *
 * <pre>
 * java -cp target/classes:target/test-classes org.slimj.datasets.FashionMnistSampleGenerator \
 *     [FULL_DIR] [OUT_DIR]
 * </pre>
 *
 * (defaults: {@code /usr/share/datasets/fashion-mnist} and
 * {@code src/main/resources/org/slimj/datasets/fashion-mnist-sample}). {@code FashionMnistTest}
 * checks that the committed sample is what this selection gives.
 */
public final class FashionMnistSampleGenerator {
  private FashionMnistSampleGenerator() {}

  /** The sample (train, test) selected from a full data set. */
  static TrainTest select(TrainTest full) {
    ImageDataset train = full.train().subset(Split.firstPerClass(full.train(), FashionMnist.SAMPLE_TRAIN_PER_CLASS));
    ImageDataset test = full.test().subset(Split.firstPerClass(full.test(), FashionMnist.SAMPLE_TEST_PER_CLASS));
    return new TrainTest(train, test, "sample of " + full.description());
  }

  /** Writes the sample; arguments: the full data directory and the output directory, both optional. */
  public static void main(String[] args) throws Exception {
    Path full = args.length > 0 ? Path.of(args[0]) : FashionMnist.DEFAULT_DIR;
    Path out = Path.of(args.length > 1 ? args[1] : "src/main/resources/org/slimj/datasets/fashion-mnist-sample");
    Files.createDirectories(out);
    TrainTest sample = select(FashionMnist.load(full));
    IdxWriter.write(
        sample.train(),
        out.resolve(IdxDirectory.FILE_NAMES.get(0) + ".gz"),
        out.resolve(IdxDirectory.FILE_NAMES.get(1) + ".gz"),
        true);
    IdxWriter.write(
        sample.test(),
        out.resolve(IdxDirectory.FILE_NAMES.get(2) + ".gz"),
        out.resolve(IdxDirectory.FILE_NAMES.get(3) + ".gz"),
        true);
    System.out.println(
        "wrote " + sample.train().count() + " train / " + sample.test().count() + " test images to " + out);
  }
}
