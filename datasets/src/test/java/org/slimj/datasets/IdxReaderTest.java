package org.slimj.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** IDX files that are well formed: written by the tests, raw and gzipped, read back exactly. */
class IdxReaderTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void roundTripKeepsEveryPixelAndLabel(boolean gzip) throws IOException {
    long seed = 11;
    // 7 images of 5 rows x 4 columns: not square, so swapped rows and columns would show
    ImageDataset d = TestData.random(7, 1, 5, 4, 10, seed);
    Path images = dir.resolve("images");
    Path labels = dir.resolve("labels");
    IdxWriter.write(d, images, labels, gzip);
    byte[] head = Files.readAllBytes(images);
    assertEquals(gzip, (head[0] & 0xFF) == 0x1f && (head[1] & 0xFF) == 0x8b, "gzip signature, seed " + seed);

    ImageDataset back = IdxReader.readDataset(images, labels, "back", ImageDataset.numberedClasses(10));
    assertEquals(7, back.count());
    assertEquals(5, back.height());
    assertEquals(4, back.width());
    assertEquals(1, back.channels());
    TestData.assertSameImages(d, back, "seed " + seed);
  }

  @Test
  void handWrittenFileIsReadBigEndianAndUnsigned() {
    // 2 images of 2 rows x 3 columns; pixel values above 127 must come back unsigned
    byte[] pixels = {0, 1, 2, 3, 4, 5, (byte) 255, (byte) 128, 127, 9, 8, 7};
    Path file = TestData.write(dir, "hand", TestData.idx(0x00000803, new int[] {2, 2, 3}, pixels));
    IdxReader.Images im = IdxReader.readImages(file);
    assertEquals(2, im.count());
    assertEquals(2, im.rows());
    assertEquals(3, im.cols());
    assertArrayEquals(pixels, im.pixels());

    Path labels = TestData.write(dir, "hand-labels", TestData.idx(0x00000801, new int[] {2}, new byte[] {9, 0}));
    ImageDataset d = IdxReader.readDataset(file, labels, "hand", ImageDataset.numberedClasses(10));
    assertEquals(255, d.pixel(1, 0));
    assertEquals(128, d.pixel(1, 1));
    assertEquals(9, d.label(0));
    assertEquals(0, d.label(1));
  }

  @Test
  void gzipIsDetectedByContentNotByName() {
    byte[] raw = TestData.idx(0x00000801, new int[] {3}, new byte[] {1, 2, 3});
    Path plainName = TestData.write(dir, "labels-without-suffix", TestData.gzip(raw));
    Path gzName = TestData.write(dir, "raw-labels.gz", raw);
    assertArrayEquals(new int[] {1, 2, 3}, IdxReader.readLabels(plainName, 10));
    assertArrayEquals(new int[] {1, 2, 3}, IdxReader.readLabels(gzName, 10));
  }

  @Test
  void streamsAreReadLikeFiles() {
    byte[] raw = TestData.idx(0x00000803, new int[] {1, 1, 2}, new byte[] {5, 6});
    IdxReader.Images fromRaw = IdxReader.readImages(new ByteArrayInputStream(raw), "raw stream");
    IdxReader.Images fromGzip = IdxReader.readImages(new ByteArrayInputStream(TestData.gzip(raw)), "gzip stream");
    assertArrayEquals(new byte[] {5, 6}, fromRaw.pixels());
    assertArrayEquals(new byte[] {5, 6}, fromGzip.pixels());
  }

  @Test
  void largeDataIsReadCompletelyThroughTheGrowingBuffer() {
    // more than the first 1 MiB chunk, so the gzip path must grow its buffer several times
    long seed = 5;
    ImageDataset d = TestData.random(3000, 1, 28, 28, 10, seed);
    Path images = dir.resolve("big-images.gz");
    Path labels = dir.resolve("big-labels.gz");
    IdxWriter.write(d, images, labels, true);
    ImageDataset back = IdxReader.readDataset(images, labels, "big", ImageDataset.numberedClasses(10));
    assertEquals(3000, back.count());
    TestData.assertSameImages(d, back, "seed " + seed);
  }
}
