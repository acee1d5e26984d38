package org.slimj.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR-10 and CIFAR-100 binary files written by the tests in the published record layout. */
class CifarBinaryReaderTest {
  @TempDir Path dir;

  /** Records with the given label bytes (one array per label position) and seeded random pixels. */
  private static byte[] records(int[][] labelBytes, long seed, byte[] pixelsOut) {
    int n = labelBytes[0].length;
    int labelCount = labelBytes.length;
    int record = labelCount + CifarFormat.IMAGE_BYTES;
    SplittableRandom rng = new SplittableRandom(seed);
    byte[] file = new byte[n * record];
    for (int r = 0; r < n; r++) {
      for (int k = 0; k < labelCount; k++) {
        file[r * record + k] = (byte) labelBytes[k][r];
      }
      for (int p = 0; p < CifarFormat.IMAGE_BYTES; p++) {
        byte v = (byte) rng.nextInt(256);
        file[r * record + labelCount + p] = v;
        if (pixelsOut != null) {
          pixelsOut[r * CifarFormat.IMAGE_BYTES + p] = v;
        }
      }
    }
    return file;
  }

  private static byte[] cifar10(int[] labels, long seed, byte[] pixelsOut) {
    return records(new int[][] {labels}, seed, pixelsOut);
  }

  private static void assertFails(Path file, Runnable read, String... fragments) {
    DatasetException e = assertThrows(DatasetException.class, read::run);
    String m = e.getMessage();
    assertTrue(m.startsWith(file.toString() + ": "), "message should start with " + file + ": " + m);
    for (String f : fragments) {
      assertTrue(m.contains(f), "message should contain \"" + f + "\": " + m);
    }
  }

  @Test
  void cifar10ReadsAllBatchesInOrder() throws IOException {
    Path d = Files.createDirectory(dir.resolve("cifar-10-batches-bin"));
    byte[][] pixels = new byte[6][];
    for (int b = 1; b <= 5; b++) {
      pixels[b - 1] = new byte[3 * CifarFormat.IMAGE_BYTES];
      TestData.write(d, "data_batch_" + b + ".bin", cifar10(new int[] {b, 9, 0}, 100 + b, pixels[b - 1]));
    }
    pixels[5] = new byte[2 * CifarFormat.IMAGE_BYTES];
    TestData.write(d, "test_batch.bin", cifar10(new int[] {7, 3}, 200, pixels[5]));

    // the parent directory is accepted too: the archive's folder is found inside it
    TrainTest t = CifarBinaryReader.cifar10(dir);
    assertEquals(15, t.train().count());
    assertEquals(2, t.test().count());
    assertEquals(3, t.train().channels());
    assertEquals(32, t.train().height());
    assertEquals(32, t.train().width());
    assertEquals(10, t.train().classes());
    assertEquals("airplane", t.train().classNames().get(0));
    assertArrayEquals(new int[] {1, 9, 0, 2, 9, 0, 3, 9, 0, 4, 9, 0, 5, 9, 0}, t.train().labels());
    assertArrayEquals(new int[] {7, 3}, t.test().labels());
    byte[] image = new byte[CifarFormat.IMAGE_BYTES];
    for (int i = 0; i < 15; i++) {
      t.train().copyImage(i, image, 0);
      byte[] expected = new byte[CifarFormat.IMAGE_BYTES];
      System.arraycopy(pixels[i / 3], (i % 3) * CifarFormat.IMAGE_BYTES, expected, 0, CifarFormat.IMAGE_BYTES);
      assertArrayEquals(expected, image, "train image " + i + " (seed " + (100 + i / 3) + ")");
    }
    // channel planes: red 0..1023, green 1024..2047, blue 2048..3071, each 32x32 row-major
    assertEquals(pixels[5][CifarFormat.IMAGE_BYTES + 1024 + 32 * 5 + 7] & 0xFF, t.test().pixel(1, 1024 + 32 * 5 + 7));
    assertTrue(t.description().contains("CIFAR-10") && t.description().contains("15 train / 2 test"), t.description());
  }

  @Test
  void cifar100UsesFineLabelsUnlessCoarseAreAsked() {
    int[] coarse = {19, 0, 4};
    int[] fine = {99, 50, 3};
    byte[] pixels = new byte[3 * CifarFormat.IMAGE_BYTES];
    TestData.write(dir, "train.bin", records(new int[][] {coarse, fine}, 300, pixels));
    TestData.write(dir, "test.bin", records(new int[][] {{1}, {2}}, 301, null));

    TrainTest byFine = CifarBinaryReader.cifar100(dir, false);
    assertArrayEquals(fine, byFine.train().labels());
    assertEquals(100, byFine.train().classes());
    assertEquals("worm", byFine.train().classNames().get(99));
    assertArrayEquals(new int[] {2}, byFine.test().labels());

    TrainTest byCoarse = CifarBinaryReader.cifar100(dir, true);
    assertArrayEquals(coarse, byCoarse.train().labels());
    assertEquals(20, byCoarse.train().classes());
    assertEquals("vehicles_2", byCoarse.train().classNames().get(19));

    byte[] image = new byte[CifarFormat.IMAGE_BYTES];
    byCoarse.train().copyImage(2, image, 0);
    byte[] expected = new byte[CifarFormat.IMAGE_BYTES];
    System.arraycopy(pixels, 2 * CifarFormat.IMAGE_BYTES, expected, 0, CifarFormat.IMAGE_BYTES);
    assertArrayEquals(expected, image, "pixels after two label bytes (seed 300)");
  }

  @Test
  void fileSizeNotAMultipleOfTheRecord() {
    byte[] whole = cifar10(new int[] {1, 2, 3}, 1, null);
    Path f = TestData.write(dir, "odd.bin", Arrays.copyOf(whole, whole.length - 100));
    assertFails(
        f, () -> CifarBinaryReader.readFile(f, CifarFormat.CIFAR10, "odd"),
        "size 9119 bytes", "not a multiple of the 3073-byte", "2 whole records and 2973 bytes left over");
    Path g = TestData.write(dir, "odd100.bin", whole);
    assertFails(g, () -> CifarBinaryReader.readFile(g, CifarFormat.CIFAR100_FINE, "odd"), "3074-byte");
  }

  @Test
  void emptyFile() {
    Path f = TestData.write(dir, "empty.bin", new byte[0]);
    assertFails(f, () -> CifarBinaryReader.readFile(f, CifarFormat.CIFAR10, "empty"), "empty file");
  }

  @Test
  void labelOutOfRange() {
    Path f = TestData.write(dir, "bad10.bin", cifar10(new int[] {0, 10, 1}, 2, null));
    assertFails(
        f, () -> CifarBinaryReader.readFile(f, CifarFormat.CIFAR10, "bad"),
        "label out of range at byte offset 3073 (record 1)", "expected 0..9", "found 10");

    // CIFAR-100: a fine label of 100 is out of range; a coarse label of 20 too
    Path g = TestData.write(dir, "bad100.bin", records(new int[][] {{3, 20}, {100, 5}}, 3, null));
    assertFails(
        g, () -> CifarBinaryReader.readFile(g, CifarFormat.CIFAR100_FINE, "bad"),
        "byte offset 1 (record 0)", "expected 0..99", "found 100");
    assertFails(
        g, () -> CifarBinaryReader.readFile(g, CifarFormat.CIFAR100_COARSE, "bad"),
        "byte offset 3074 (record 1)", "expected 0..19", "found 20");
  }

  @Test
  void missingFilesAreNamed() {
    for (String name : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_4.bin", "data_batch_5.bin")) {
      TestData.write(dir, name, cifar10(new int[] {1}, 4, null));
    }
    assertFails(
        dir, () -> CifarBinaryReader.cifar10(dir), "CIFAR-10 files missing", "data_batch_3.bin", "test_batch.bin");
    assertFails(dir, () -> CifarBinaryReader.cifar100(dir, false), "CIFAR-100 files missing", "train.bin", "test.bin");
    Path none = dir.resolve("nowhere");
    assertFails(none, () -> CifarBinaryReader.cifar10(none), "no such directory");
  }
}
