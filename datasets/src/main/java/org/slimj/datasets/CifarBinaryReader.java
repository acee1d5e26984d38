package org.slimj.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the "binary version" of CIFAR-10 ({@code data_batch_1.bin} … {@code data_batch_5.bin},
 * {@code test_batch.bin}) and CIFAR-100 ({@code train.bin}, {@code test.bin}); see
 * {@link CifarFormat} for the record layouts. A directory may hold the files directly or hold the
 * folder the archive extracts to ({@code cifar-10-batches-bin}, {@code cifar-100-binary}).
 *
 * <p>Each file's size must be a non-zero multiple of the record size and every label must be in
 * range; the files' sizes are checked against {@link IdxReader#MAX_DATA_BYTES} before anything is
 * allocated. Problems are {@link DatasetException}s naming the file.
 */
public final class CifarBinaryReader {
  /** CIFAR-10 training files, in order. */
  public static final List<String> CIFAR10_TRAIN_FILES =
      List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");

  /** CIFAR-10 test file. */
  public static final String CIFAR10_TEST_FILE = "test_batch.bin";

  /** CIFAR-100 training file. */
  public static final String CIFAR100_TRAIN_FILE = "train.bin";

  /** CIFAR-100 test file. */
  public static final String CIFAR100_TEST_FILE = "test.bin";

  private static final int RECORDS_PER_CHUNK = 1024;

  private CifarBinaryReader() {}

  /** Loads CIFAR-10 from {@code dir} (or its {@code cifar-10-batches-bin} folder). */
  public static TrainTest cifar10(Path dir) {
    Path d = extractedFolder(dir, "cifar-10-batches-bin");
    List<String> all = new ArrayList<>(CIFAR10_TRAIN_FILES);
    all.add(CIFAR10_TEST_FILE);
    checkPresent(d, all, "CIFAR-10");
    List<Path> train = CIFAR10_TRAIN_FILES.stream().map(d::resolve).toList();
    return load(d, "CIFAR-10", CifarFormat.CIFAR10, train, d.resolve(CIFAR10_TEST_FILE));
  }

  /** Loads CIFAR-100 from {@code dir} (or its {@code cifar-100-binary} folder), with fine or coarse labels. */
  public static TrainTest cifar100(Path dir, boolean coarse) {
    Path d = extractedFolder(dir, "cifar-100-binary");
    checkPresent(d, List.of(CIFAR100_TRAIN_FILE, CIFAR100_TEST_FILE), "CIFAR-100");
    CifarFormat format = coarse ? CifarFormat.CIFAR100_COARSE : CifarFormat.CIFAR100_FINE;
    String title = "CIFAR-100 (" + (coarse ? "coarse" : "fine") + " labels)";
    return load(d, title, format, List.of(d.resolve(CIFAR100_TRAIN_FILE)), d.resolve(CIFAR100_TEST_FILE));
  }

  private static TrainTest load(Path dir, String title, CifarFormat format, List<Path> trainFiles, Path testFile) {
    ImageDataset train = readFiles(trainFiles, format, title + " train (" + dir + ")");
    ImageDataset test = readFiles(List.of(testFile), format, title + " test (" + dir + ")");
    return new TrainTest(
        train, test, title + " from " + dir + ": " + train.count() + " train / " + test.count() + " test images");
  }

  /** Reads one CIFAR binary file. */
  public static ImageDataset readFile(Path file, CifarFormat format, String name) {
    return readFiles(List.of(file), format, name);
  }

  /** Reads several CIFAR binary files of one format into one data set, records in file order. */
  public static ImageDataset readFiles(List<Path> files, CifarFormat format, String name) {
    int recordBytes = format.recordBytes();
    long[] records = new long[files.size()];
    long totalRecords = 0;
    for (int f = 0; f < files.size(); f++) {
      Path file = files.get(f);
      long size = size(file);
      if (size == 0) {
        throw new DatasetException(file.toString(), "empty file: expected records of " + recordBytes + " bytes");
      }
      if (size % recordBytes != 0) {
        throw new DatasetException(
            file.toString(),
            "size " + size + " bytes is not a multiple of the " + recordBytes + "-byte " + format + " record ("
                + size / recordBytes + " whole records and " + size % recordBytes + " bytes left over)");
      }
      records[f] = size / recordBytes;
      totalRecords += records[f];
      if (totalRecords * CifarFormat.IMAGE_BYTES > IdxReader.MAX_DATA_BYTES) {
        throw new DatasetException(
            file.toString(),
            "too much data: " + totalRecords + " images (with the files before it) exceed the limit of "
                + IdxReader.MAX_DATA_BYTES + " pixel bytes (1 GiB)");
      }
    }
    byte[] pixels = new byte[(int) totalRecords * CifarFormat.IMAGE_BYTES];
    int[] labels = new int[(int) totalRecords];
    int next = 0;
    for (int f = 0; f < files.size(); f++) {
      readRecords(files.get(f), format, (int) records[f], pixels, labels, next);
      next += (int) records[f];
    }
    return new ImageDataset(
        name, pixels, labels, CifarFormat.CHANNELS, CifarFormat.SIDE, CifarFormat.SIDE, format.classNames());
  }

  private static void readRecords(Path file, CifarFormat format, int count, byte[] pixels, int[] labels, int first) {
    int recordBytes = format.recordBytes();
    int classes = format.classNames().size();
    byte[] chunk = new byte[Math.min(count, RECORDS_PER_CHUNK) * recordBytes];
    try (InputStream in = Files.newInputStream(file)) {
      for (int done = 0; done < count; ) {
        int n = Math.min(count - done, RECORDS_PER_CHUNK);
        int got = in.readNBytes(chunk, 0, n * recordBytes);
        if (got < n * recordBytes) {
          throw new DatasetException(
              file.toString(),
              "truncated while reading: expected " + (long) count * recordBytes
                  + " bytes (its size when opened), found " + ((long) done * recordBytes + got));
        }
        for (int r = 0; r < n; r++) {
          int at = r * recordBytes;
          int label = chunk[at + format.labelIndex()] & 0xFF;
          if (label >= classes) {
            long offset = (long) (done + r) * recordBytes + format.labelIndex();
            throw new DatasetException(
                file.toString(),
                "label out of range at byte offset " + offset + " (record " + (done + r) + "): expected 0.."
                    + (classes - 1) + ", found " + label);
          }
          labels[first + done + r] = label;
          int to = (first + done + r) * CifarFormat.IMAGE_BYTES;
          System.arraycopy(chunk, at + format.labelBytes(), pixels, to, CifarFormat.IMAGE_BYTES);
        }
        done += n;
      }
      if (in.read() >= 0) {
        throw new DatasetException(
            file.toString(), "file grew while reading: expected " + (long) count * recordBytes + " bytes");
      }
    } catch (IOException e) {
      throw new DatasetException(file.toString(), "read error: " + e, e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (NoSuchFileException e) {
      throw new DatasetException(file.toString(), "file not found", e);
    } catch (IOException e) {
      throw new DatasetException(file.toString(), "cannot read its size: " + e, e);
    }
  }

  private static Path extractedFolder(Path dir, String folder) {
    Path inner = dir.resolve(folder);
    return Files.isDirectory(inner) ? inner : dir;
  }

  private static void checkPresent(Path dir, List<String> names, String title) {
    if (!Files.isDirectory(dir)) {
      throw new DatasetException(dir.toString(), "no such directory (expected the " + title + " binary files in it)");
    }
    List<String> missing = names.stream().filter(n -> !Files.isRegularFile(dir.resolve(n))).toList();
    if (!missing.isEmpty()) {
      throw new DatasetException(dir.toString(), title + " files missing: " + String.join(", ", missing));
    }
  }
}
