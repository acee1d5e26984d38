package org.slimj.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The embedded sample, the full data set when installed, and the choice between them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FashionMnistTest {
  private TrainTest sample;

  @TempDir Path dir;

  @BeforeAll
  void loadSample() {
    sample = FashionMnist.sample();
  }

  @Test
  void embeddedSampleHasTheDocumentedCountsAndEveryClass() {
    assertEquals(4000, sample.train().count());
    assertEquals(1000, sample.test().count());
    for (ImageDataset d : new ImageDataset[] {sample.train(), sample.test()}) {
      assertEquals(1, d.channels());
      assertEquals(28, d.height());
      assertEquals(28, d.width());
      assertEquals(FashionMnist.CLASS_NAMES, d.classNames());
    }
    int[] perClassTrain = new int[10];
    int[] perClassTest = new int[10];
    Arrays.fill(perClassTrain, FashionMnist.SAMPLE_TRAIN_PER_CLASS);
    Arrays.fill(perClassTest, FashionMnist.SAMPLE_TEST_PER_CLASS);
    assertArrayEquals(perClassTrain, sample.train().classCounts());
    assertArrayEquals(perClassTest, sample.test().classCounts());
    assertTrue(sample.description().contains("embedded sample: 4000 train / 1000 test"), sample.description());
    // real images, not blank: Fashion-MNIST's mean intensity is about 0.286
    Normalization stats = Normalization.computedFrom(sample.train());
    assertEquals(0.286, stats.mean(0), 0.02, "sample train mean");
    assertEquals(0.353, stats.std(0), 0.02, "sample train std");
  }

  @Test
  void sampleIsChosenWhenAskedFor() {
    FashionMnistSource s = FashionMnist.resolve(Optional.of("sample"));
    assertTrue(s.isSample());
    assertTrue(s.description().contains("embedded sample (asked for)"), s.description());
  }

  @Test
  void fallsBackToTheSampleWhenTheDefaultDirectoryIsEmpty() {
    FashionMnistSource s = FashionMnist.resolve(Optional.empty(), dir);
    assertTrue(s.isSample());
    assertTrue(s.description().contains("the full data set was not found in " + dir), s.description());
    TrainTest t = s.load();
    assertEquals(4000, t.train().count());
    assertTrue(t.description().startsWith(s.description()) && t.description().endsWith("4000 train / 1000 test images"),
        t.description());
  }

  /**
   * Checks whichever situation holds on this machine: with the Debian package installed, the
   * default resolution is the full set of 60,000 / 10,000 images and the embedded sample equals
   * its documented selection; without it, the default resolution is the sample and says why.
   */
  @Test
  void defaultResolutionUsesTheFullSetWhenInstalledElseSaysItFellBack() {
    FashionMnistSource s = FashionMnist.resolve(Optional.empty());
    if (IdxDirectory.isComplete(FashionMnist.DEFAULT_DIR)) {
      assertFalse(s.isSample(), s.description());
      assertEquals(Optional.of(FashionMnist.DEFAULT_DIR), s.directory());
      assertTrue(s.description().contains(FashionMnist.DEFAULT_DIR + " (default location)"), s.description());
      TrainTest full = s.load();
      assertEquals(60000, full.train().count());
      assertEquals(10000, full.test().count());
      assertTrue(full.description().endsWith("60000 train / 10000 test images"), full.description());
      int[] each = full.train().classCounts();
      for (int k = 0; k < 10; k++) {
        assertEquals(6000, each[k], "train images of class " + k);
      }
      TrainTest expected = FashionMnistSampleGenerator.select(full);
      TestData.assertSameImages(expected.train(), sample.train(), "sample train");
      TestData.assertSameImages(expected.test(), sample.test(), "sample test");
    } else {
      assertTrue(s.isSample(), s.description());
      assertTrue(
          s.description().contains("the full data set was not found in " + FashionMnist.DEFAULT_DIR), s.description());
      assertEquals(4000, s.load().train().count());
    }
  }

  @Test
  void givenDirectoryIsUsedWithGzippedOrRawNames() {
    // the sample's test part written as a directory: gz names for the training files, raw ones for the test files
    ImageDataset part = sample.test();
    IdxWriter.write(part, dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz"), true);
    IdxWriter.write(part, dir.resolve("t10k-images-idx3-ubyte"), dir.resolve("t10k-labels-idx1-ubyte"), false);
    FashionMnistSource s = FashionMnist.resolve(Optional.of(dir.toString()));
    assertFalse(s.isSample());
    assertTrue(s.description().contains(dir + " (given directory)"), s.description());
    TrainTest t = s.load();
    TestData.assertSameImages(sample.test(), t.train(), "train from directory");
    TestData.assertSameImages(sample.test(), t.test(), "test from directory");
    assertTrue(t.train().name().contains(dir.toString()), t.train().name());
  }

  @Test
  void givenDirectoryThatIsMissingOrIncompleteIsAnError() throws IOException {
    Path none = dir.resolve("none");
    DatasetException e = assertThrows(DatasetException.class, () -> FashionMnist.resolve(Optional.of(none.toString())));
    assertTrue(e.getMessage().startsWith(none + ": no such directory"), e.getMessage());

    Files.write(dir.resolve("train-images-idx3-ubyte.gz"), new byte[0]);
    Files.write(dir.resolve("t10k-labels-idx1-ubyte"), new byte[0]);
    e = assertThrows(DatasetException.class, () -> FashionMnist.resolve(Optional.of(dir.toString())));
    String m = e.getMessage();
    assertTrue(m.startsWith(dir + ": Fashion-MNIST files missing: "), m);
    assertTrue(m.contains("train-labels-idx1-ubyte.gz (or train-labels-idx1-ubyte)"), m);
    assertTrue(m.contains("t10k-images-idx3-ubyte.gz (or t10k-images-idx3-ubyte)"), m);
    assertFalse(m.contains("train-images"), m);

    // an incomplete default directory is not used: the sample is
    assertTrue(FashionMnist.resolve(Optional.empty(), dir).isSample());
  }
}
