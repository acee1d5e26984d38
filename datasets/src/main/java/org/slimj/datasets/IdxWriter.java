package org.slimj.datasets;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes grayscale data sets as IDX files (images {@code 0x00000803}, labels {@code 0x00000801}),
 * raw or gzip-compressed; {@link IdxReader} reads them back. Used to build the embedded sample and
 * by tests.
 */
public final class IdxWriter {
  private IdxWriter() {}

  /** Writes the images and labels of a one-channel data set to two IDX files. */
  public static void write(ImageDataset dataset, Path imagesFile, Path labelsFile, boolean gzip) {
    if (dataset.channels() != 1) {
      throw new IllegalArgumentException("IDX image files hold one channel, " + dataset + " has " + dataset.channels());
    }
    writeImages(imagesFile, dataset.pixelArray(), dataset.count(), dataset.height(), dataset.width(), gzip);
    int[] labels = dataset.labels();
    byte[] bytes = new byte[labels.length];
    for (int i = 0; i < labels.length; i++) {
      bytes[i] = (byte) labels[i];
    }
    writeIdx(labelsFile, new int[] {labels.length}, bytes, gzip);
  }

  /** Writes {@code count} images of {@code rows×cols} bytes as an IDX image file. */
  public static void writeImages(Path file, byte[] pixels, int count, int rows, int cols, boolean gzip) {
    if ((long) count * rows * cols != pixels.length) {
      throw new IllegalArgumentException(
          count + " images of " + rows + "x" + cols + " need " + (long) count * rows * cols + " bytes, found "
              + pixels.length);
    }
    writeIdx(file, new int[] {count, rows, cols}, pixels, gzip);
  }

  private static void writeIdx(Path file, int[] dims, byte[] data, boolean gzip) {
    try (OutputStream fileOut = Files.newOutputStream(file);
        OutputStream packed = gzip ? new GZIPOutputStream(fileOut, 1 << 16) : fileOut;
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(packed, 1 << 16))) {
      out.writeInt((IdxReader.UBYTE << 8) | dims.length);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(data);
    } catch (IOException e) {
      throw new DatasetException(file.toString(), "cannot write: " + e, e);
    }
  }
}
