package org.slimj.datasets;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files of unsigned bytes, the format of MNIST and Fashion-MNIST: images (magic
 * {@code 0x00000803}: count, rows, columns) and labels (magic {@code 0x00000801}: count), all
 * header fields big-endian. A file is gzip-compressed when it starts with the gzip signature
 * {@code 1f 8b}, whatever its name.
 *
 * <p>Every file is checked before it is trusted: the magic number, the dimension count, that the
 * data the header implies is exactly the data present (nothing missing, nothing after it), a hard
 * limit of {@link #MAX_DATA_BYTES} on what a header may claim, and (for labels) the label range.
 * Nothing is allocated from a header before it is checked: raw files are compared with their size
 * on disk; compressed data is read into a buffer that grows with the bytes actually decompressed.
 * Every problem is a {@link DatasetException} naming the file.
 */
public final class IdxReader {
  /** The most data bytes (after the header) one file may claim: 1 GiB. */
  public static final long MAX_DATA_BYTES = 1L << 30;

  /** IDX type code of unsigned bytes, the third byte of the magic number. */
  static final int UBYTE = 0x08;

  private static final int FIRST_CHUNK = 1 << 20;

  private IdxReader() {}

  /**
   * Images of an IDX file: {@code count} images of {@code rows×cols} bytes, row-major, one after
   * another. The caller owns {@code pixels}.
   */
  public record Images(int count, int rows, int cols, byte[] pixels) {}

  /** Reads an IDX image file (raw or gzip). */
  public static Images readImages(Path file) {
    return withFile(file, (in, size) -> readImages(in, file.toString(), size));
  }

  /** Reads IDX images from a stream (raw or gzip) named {@code name} in messages; closes it. */
  public static Images readImages(InputStream in, String name) {
    return readImages(in, name, -1);
  }

  /** Reads an IDX label file (raw or gzip) whose labels must lie in {@code [0, classes)}. */
  public static int[] readLabels(Path file, int classes) {
    return withFile(file, (in, size) -> readLabels(in, file.toString(), size, classes));
  }

  /** Reads IDX labels in {@code [0, classes)} from a stream named {@code name}; closes it. */
  public static int[] readLabels(InputStream in, String name, int classes) {
    return readLabels(in, name, -1, classes);
  }

  /**
   * Reads an image file and its label file into one grayscale data set named {@code name}; the
   * two files must hold the same number of entries.
   */
  public static ImageDataset readDataset(Path images, Path labels, String name, List<String> classNames) {
    Images im = readImages(images);
    int[] lab = readLabels(labels, classNames.size());
    return combine(im, images.toString(), lab, labels.toString(), name, classNames);
  }

  /** Pairs images with labels after checking that the counts agree. */
  static ImageDataset combine(
      Images images, String imagesName, int[] labels, String labelsName, String name, List<String> classNames) {
    if (images.count() != labels.length) {
      throw new DatasetException(
          labelsName,
          "image/label count mismatch: " + imagesName + " holds " + images.count() + " images, this file holds "
              + labels.length + " labels");
    }
    return new ImageDataset(name, images.pixels(), labels, 1, images.rows(), images.cols(), classNames);
  }

  private static Images readImages(InputStream in, String name, long rawSize) {
    Parsed p = parse(in, name, rawSize, 3);
    return new Images((int) p.dims[0], (int) p.dims[1], (int) p.dims[2], p.data);
  }

  private static int[] readLabels(InputStream in, String name, long rawSize, int classes) {
    if (classes < 1 || classes > 256) {
      throw new IllegalArgumentException("IDX byte labels allow 1 to 256 classes, asked for " + classes);
    }
    Parsed p = parse(in, name, rawSize, 1);
    int[] labels = new int[p.data.length];
    for (int i = 0; i < labels.length; i++) {
      int label = p.data[i] & 0xFF;
      if (label >= classes) {
        throw new DatasetException(
            name,
            "label out of range at " + p.form + "byte offset " + (p.headerBytes + i) + " (label " + i
                + "): expected 0.." + (classes - 1) + ", found " + label);
      }
      labels[i] = label;
    }
    return labels;
  }

  /** Parsed IDX content: the dimensions and the data bytes after the header. */
  private record Parsed(long[] dims, byte[] data, int headerBytes, String form) {}

  private static Parsed parse(InputStream raw, String name, long rawSize, int expectedDims) {
    try (BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16)) {
      buffered.mark(2);
      int b0 = buffered.read();
      int b1 = buffered.read();
      buffered.reset();
      if (b0 < 0) {
        throw new DatasetException(
            name, "empty file (0 bytes): expected an IDX header of " + (4 + 4 * expectedDims) + " bytes");
      }
      boolean gzip = b0 == 0x1f && b1 == 0x8b;
      Cursor c = new Cursor(name, gzip);
      if (!gzip) {
        return c.parse(buffered, rawSize, expectedDims);
      }
      try (InputStream in = c.openGzip(buffered)) {
        return c.parse(in, -1, expectedDims);
      }
    } catch (IOException e) {
      throw new DatasetException(name, "read error: " + e, e);
    }
  }

  /** The state of one parse: the file name and how many (decompressed) bytes were consumed. */
  private static final class Cursor {
    private final String name;
    private final boolean gzip;
    private final String form;
    private long position;

    Cursor(String name, boolean gzip) {
      this.name = name;
      this.gzip = gzip;
      this.form = gzip ? "decompressed " : "";
    }

    InputStream openGzip(InputStream in) {
      try {
        return new GZIPInputStream(in, 1 << 16);
      } catch (IOException e) {
        throw gzipFailure(e);
      }
    }

    Parsed parse(InputStream in, long rawSize, int expectedDims) {
      int headerBytes = 4 + 4 * expectedDims;
      byte[] magic = readHeader(in, 4, headerBytes);
      checkMagic(magic, expectedDims);
      byte[] dimBytes = readHeader(in, 4 * expectedDims, headerBytes);
      long[] dims = new long[expectedDims];
      long expected = 1;
      for (int d = 0; d < expectedDims; d++) {
        dims[d] = Integer.toUnsignedLong(bigEndianInt(dimBytes, 4 * d));
        if (dims[d] < 1 || dims[d] > Integer.MAX_VALUE) {
          throw new DatasetException(
              name,
              "bad " + dimensionName(expectedDims, d) + " at header offset " + (4 + 4 * d) + ": expected 1.."
                  + Integer.MAX_VALUE + ", found " + dims[d]);
        }
        expected = saturatingMultiply(expected, dims[d]);
      }
      String claim = describe(dims);
      if (rawSize >= 0) {
        long present = rawSize - headerBytes;
        if (present < expected) {
          throw new DatasetException(
              name,
              "truncated data: the header (" + claim + ") implies " + expected + " bytes after the " + headerBytes
                  + "-byte header, the file holds " + present);
        }
        if (present > expected) {
          throw trailing(claim, expected, headerBytes, present - expected, false);
        }
      }
      if (expected > MAX_DATA_BYTES) {
        throw new DatasetException(
            name,
            "header claims " + claim + " = " + expected + " bytes of data, more than the limit of " + MAX_DATA_BYTES
                + " bytes (1 GiB)");
      }
      byte[] data = readData(in, (int) expected, rawSize >= 0, claim, headerBytes);
      int extra = read(in, new byte[1], 0, 1);
      if (extra > 0) {
        long more = 1 + skipToEnd(in);
        throw trailing(claim, expected, headerBytes, more, more >= MAX_DATA_BYTES);
      }
      return new Parsed(dims, data, headerBytes, form);
    }

    private void checkMagic(byte[] m, int expectedDims) {
      int expectedMagic = (UBYTE << 8) | expectedDims;
      int found = bigEndianInt(m, 0);
      if (m[0] != 0 || m[1] != 0) {
        throw new DatasetException(
            name,
            String.format(
                "wrong magic number at offset 0: expected 0x%08X (IDX unsigned bytes, %d dimension%s), found 0x%08X; "
                    + "not an IDX file",
                expectedMagic, expectedDims, expectedDims == 1 ? "" : "s", found));
      }
      if ((m[2] & 0xFF) != UBYTE) {
        throw new DatasetException(
            name,
            String.format(
                "unsupported IDX data type at offset 2: expected 0x%02X (unsigned byte), found 0x%02X",
                UBYTE, m[2] & 0xFF));
      }
      if ((m[3] & 0xFF) != expectedDims) {
        throw new DatasetException(
            name,
            "wrong dimension count at offset 3: expected " + expectedDims + " ("
                + (expectedDims == 3 ? "images" : "labels") + "), found " + (m[3] & 0xFF));
      }
    }

    private byte[] readHeader(InputStream in, int n, int headerBytes) {
      byte[] b = new byte[n];
      int got = readFully(in, b, 0, n);
      if (got < n) {
        throw new DatasetException(
            name, "truncated header: expected " + headerBytes + " " + form + "bytes, found " + (position));
      }
      return b;
    }

    /**
     * Reads exactly {@code n} bytes. With a verified file size the array is allocated at once;
     * otherwise it grows with the bytes actually read, so a lying header cannot make us allocate
     * much more than the data present.
     */
    private byte[] readData(InputStream in, int n, boolean sizeVerified, String claim, int headerBytes) {
      byte[] buf = new byte[sizeVerified ? n : Math.min(n, FIRST_CHUNK)];
      int filled = 0;
      while (true) {
        filled += readFully(in, buf, filled, buf.length - filled);
        if (filled < buf.length) {
          throw new DatasetException(
              name,
              "truncated data: the header (" + claim + ") implies " + n + " " + form + "bytes after the " + headerBytes
                  + "-byte header, found " + filled);
        }
        if (filled == n) {
          return buf;
        }
        buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
      }
    }

    private DatasetException trailing(String claim, long expected, int headerBytes, long extra, boolean atLeast) {
      return new DatasetException(
          name,
          "trailing data: the header (" + claim + ") implies " + expected + " " + form + "bytes after the "
              + headerBytes + "-byte header, found " + (atLeast ? "at least " : "") + extra + " extra bytes");
    }

    /** Reads until {@code n} bytes or the end; returns the count read. */
    private int readFully(InputStream in, byte[] b, int off, int n) {
      int total = 0;
      while (total < n) {
        int r = read(in, b, off + total, n - total);
        if (r < 0) {
          break;
        }
        total += r;
      }
      return total;
    }

    /** Counts the bytes left, up to {@link #MAX_DATA_BYTES}. */
    private long skipToEnd(InputStream in) {
      byte[] scratch = new byte[8192];
      long count = 0;
      int r;
      while (count < MAX_DATA_BYTES && (r = read(in, scratch, 0, scratch.length)) > 0) {
        count += r;
      }
      return count;
    }

    private int read(InputStream in, byte[] b, int off, int n) {
      try {
        int r = in.read(b, off, n);
        if (r > 0) {
          position += r;
        }
        return r;
      } catch (IOException e) {
        if (gzip) {
          throw gzipFailure(e);
        }
        throw new DatasetException(name, "read error at offset " + position + ": " + e, e);
      }
    }

    private DatasetException gzipFailure(IOException e) {
      if (e instanceof EOFException) {
        return new DatasetException(
            name,
            "gzip data truncated: the compressed stream ends early, after " + position + " decompressed bytes",
            e);
      }
      if (e instanceof ZipException) {
        return new DatasetException(
            name, "corrupt gzip data after " + position + " decompressed bytes: " + e.getMessage(), e);
      }
      return new DatasetException(name, "read error in gzip data after " + position + " decompressed bytes: " + e, e);
    }
  }

  private interface FileReader<T> {
    T read(InputStream in, long size);
  }

  private static <T> T withFile(Path file, FileReader<T> reader) {
    InputStream in;
    long size;
    try {
      size = Files.size(file);
      in = Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new DatasetException(file.toString(), "file not found", e);
    } catch (IOException e) {
      throw new DatasetException(file.toString(), "cannot open: " + e, e);
    }
    return reader.read(in, size);
  }

  private static String dimensionName(int dims, int d) {
    return switch (d) {
      case 0 -> dims == 1 ? "label count" : "image count";
      case 1 -> "row count";
      default -> "column count";
    };
  }

  private static String describe(long[] dims) {
    if (dims.length == 1) {
      return dims[0] + " labels";
    }
    return dims[0] + " images of " + dims[1] + "x" + dims[2];
  }

  static int bigEndianInt(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
  }

  private static long saturatingMultiply(long a, long b) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    return high != 0 || low < 0 ? Long.MAX_VALUE : low;
  }
}
