package org.slimj.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** Small data sets and hand-built file bytes for the tests. */
final class TestData {
  private TestData() {}

  /** Random pixels and labels drawn from {@code seed}. */
  static ImageDataset random(int n, int channels, int height, int width, int classes, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    byte[] pixels = new byte[n * channels * height * width];
    rng.nextBytes(pixels);
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = rng.nextInt(classes);
    }
    return ImageDataset.of(
        "random seed " + seed, pixels, labels, channels, height, width, ImageDataset.numberedClasses(classes));
  }

  /** One-channel 2×2 images whose first two bytes spell the image index; label {@code i % classes}. */
  static ImageDataset indexed(int n, int classes) {
    byte[] pixels = new byte[n * 4];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      pixels[4 * i] = (byte) (i & 0xFF);
      pixels[4 * i + 1] = (byte) (i >>> 8);
      pixels[4 * i + 2] = (byte) 7;
      pixels[4 * i + 3] = (byte) 200;
      labels[i] = i % classes;
    }
    return ImageDataset.of("indexed", pixels, labels, 1, 2, 2, ImageDataset.numberedClasses(classes));
  }

  /** The index spelled by the first two pixels of image {@code i}. */
  static int indexOf(ImageDataset d, int i) {
    return d.pixel(i, 0) | (d.pixel(i, 1) << 8);
  }

  /** An IDX header: the magic number, then the dimensions (big-endian ints), then {@code data}. */
  static byte[] idx(int magic, int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.putInt(magic);
    for (int d : dims) {
      b.putInt(d);
    }
    b.put(data);
    return b.array();
  }

  /** Gzip of {@code bytes}. */
  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Writes {@code bytes} to {@code dir/name} and returns the path. */
  static Path write(Path dir, String name, byte[] bytes) {
    try {
      return Files.write(dir.resolve(name), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Bytes allocated so far by the current thread (HotSpot's thread allocation counter). */
  static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  /** Asserts equal shapes, labels and pixels; {@code context} (e.g. the seed) goes into the messages. */
  static void assertSameImages(ImageDataset expected, ImageDataset actual, String context) {
    assertEquals(expected.count(), actual.count(), "image count, " + context);
    assertEquals(expected.channels(), actual.channels(), "channels, " + context);
    assertEquals(expected.height(), actual.height(), "height, " + context);
    assertEquals(expected.width(), actual.width(), "width, " + context);
    assertArrayEquals(expected.labels(), actual.labels(), "labels, " + context);
    byte[] a = new byte[expected.imageSize()];
    byte[] b = new byte[expected.imageSize()];
    for (int i = 0; i < expected.count(); i++) {
      expected.copyImage(i, a, 0);
      actual.copyImage(i, b, 0);
      assertArrayEquals(a, b, "pixels of image " + i + ", " + context);
    }
  }
}
