package org.slimj.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of bad IDX file fails with a {@link DatasetException} whose message names the file
 * and the problem (with the expected and found values), quickly and without large allocations.
 */
class IdxBadFileTest {
  private static final int IMAGES = 0x00000803;
  private static final int LABELS = 0x00000801;
  private static final long ALLOCATION_LIMIT = 16L << 20;

  @TempDir Path dir;

  /** Writes {@code raw} (gzipped when asked) and returns the file. */
  private Path file(String name, byte[] raw, boolean gzip) {
    return TestData.write(dir, name + (gzip ? ".gz" : ""), gzip ? TestData.gzip(raw) : raw);
  }

  /** Runs {@code read}, expects a DatasetException naming {@code file} and containing every fragment. */
  private static DatasetException fails(Path file, Executable read, String... fragments) {
    DatasetException e = assertThrows(DatasetException.class, read);
    String m = e.getMessage();
    assertTrue(m.startsWith(file.toString() + ": "), "message should start with the file name: " + m);
    assertEquals(file.toString(), e.file());
    for (String f : fragments) {
      assertTrue(m.contains(f), "message should contain \"" + f + "\": " + m);
    }
    return e;
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void wrongMagic(boolean gzip) {
    Path f = file("magic", TestData.idx(0x12345678, new int[] {1, 1, 1}, new byte[1]), gzip);
    fails(f, () -> IdxReader.readImages(f), "wrong magic number", "expected 0x00000803", "found 0x12345678");
  }

  @Test
  void unsupportedDataType() {
    Path f = file("float", TestData.idx(0x00000D03, new int[] {1, 1, 1}, new byte[4]), false);
    fails(f, () -> IdxReader.readImages(f), "unsupported IDX data type", "expected 0x08", "found 0x0D");
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void wrongDimensionCount(boolean gzip) {
    // a label file (1 dimension) where an image file (3 dimensions) is expected, and the reverse
    Path labels = file("labels", TestData.idx(LABELS, new int[] {2}, new byte[] {1, 2}), gzip);
    fails(labels, () -> IdxReader.readImages(labels), "wrong dimension count", "expected 3", "found 1");
    Path images = file("images", TestData.idx(IMAGES, new int[] {1, 1, 2}, new byte[2]), gzip);
    fails(images, () -> IdxReader.readLabels(images, 10), "wrong dimension count", "expected 1", "found 3");
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void truncatedData(boolean gzip) {
    // the header claims 10 images of 28x28 (7840 bytes), the file holds 3 (2352 bytes)
    Path f = file("short", TestData.idx(IMAGES, new int[] {10, 28, 28}, new byte[3 * 784]), gzip);
    fails(f, () -> IdxReader.readImages(f), "truncated data", "10 images of 28x28", "7840", "2352");
  }

  @Test
  void truncatedHeader() {
    byte[] whole = TestData.idx(IMAGES, new int[] {1, 2, 2}, new byte[4]);
    Path f = file("header", Arrays.copyOf(whole, 10), false);
    fails(f, () -> IdxReader.readImages(f), "truncated header", "expected 16", "found 10");
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void trailingBytes(boolean gzip) {
    // the header claims 2 images of 28x28 (1568 bytes), the file holds 3
    Path f = file("long", TestData.idx(IMAGES, new int[] {2, 28, 28}, new byte[3 * 784]), gzip);
    fails(f, () -> IdxReader.readImages(f), "trailing data", "1568", "784 extra bytes");
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void hugeClaimedCountFailsFastWithoutAllocating(boolean gzip) {
    // 2,000,000,000 images of 28x28 claimed by a file of 100 data bytes
    Path f = file("huge", TestData.idx(IMAGES, new int[] {2_000_000_000, 28, 28}, new byte[100]), gzip);
    long before = TestData.allocatedBytes();
    DatasetException e = assertTimeoutPreemptively(
        Duration.ofSeconds(5), () -> assertThrows(DatasetException.class, () -> IdxReader.readImages(f)));
    String m = e.getMessage();
    assertTrue(m.startsWith(f.toString()) && m.contains("2000000000 images of 28x28"), m);
    assertTrue(m.contains(gzip ? "more than the limit" : "truncated data"), m);
    long allocated = TestData.allocatedBytes() - before;
    assertTrue(allocated < ALLOCATION_LIMIT, "allocated " + allocated + " bytes reading a 100-byte file: " + m);
  }

  @Test
  void gzipClaimUnderTheLimitAllocatesOnlyWhatIsDecompressed() {
    // 1,000,000 images of 28x28 = 784 MB claimed (under the 1 GiB limit), 100 bytes present
    Path f = file("lying", TestData.idx(IMAGES, new int[] {1_000_000, 28, 28}, new byte[100]), true);
    long before = TestData.allocatedBytes();
    fails(f, () -> IdxReader.readImages(f), "truncated data", "784000000", "found 100");
    long allocated = TestData.allocatedBytes() - before;
    assertTrue(allocated < ALLOCATION_LIMIT, "allocated " + allocated + " bytes for 100 decompressed data bytes");
  }

  @Test
  void zeroDimension() {
    Path f = file("zero", TestData.idx(IMAGES, new int[] {3, 0, 28}, new byte[0]), false);
    fails(f, () -> IdxReader.readImages(f), "bad row count", "header offset 8", "found 0");
  }

  @Test
  void dimensionAboveIntRange() {
    Path f = file("negative", TestData.idx(IMAGES, new int[] {-1, 28, 28}, new byte[0]), false);
    fails(f, () -> IdxReader.readImages(f), "bad image count", "found 4294967295");
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void labelOutOfRange(boolean gzip) {
    Path f = file("labels", TestData.idx(LABELS, new int[] {3}, new byte[] {0, 9, 12}), gzip);
    fails(f, () -> IdxReader.readLabels(f, 10), "label out of range", "byte offset 10 (label 2)", "expected 0..9",
        "found 12");
  }

  @Test
  void imageLabelCountMismatch() {
    Path images = file("images", TestData.idx(IMAGES, new int[] {3, 2, 2}, new byte[12]), false);
    Path labels = file("labels", TestData.idx(LABELS, new int[] {4}, new byte[4]), false);
    fails(labels, () -> IdxReader.readDataset(images, labels, "x", ImageDataset.numberedClasses(10)),
        "image/label count mismatch", images + " holds 3 images", "4 labels");
  }

  @Test
  void emptyFile() {
    Path f = file("empty", new byte[0], false);
    fails(f, () -> IdxReader.readImages(f), "empty file");
  }

  @Test
  void missingFile() {
    Path f = dir.resolve("absent");
    fails(f, () -> IdxReader.readImages(f), "file not found");
  }

  @Test
  void gzipTruncated() {
    byte[] gz = TestData.gzip(TestData.idx(IMAGES, new int[] {4, 28, 28}, patterned(4 * 784)));
    Path f = file("cut", Arrays.copyOf(gz, gz.length / 2), false);
    fails(f, () -> IdxReader.readImages(f), "gzip data truncated");
  }

  @Test
  void gzipTrailerMissing() {
    // all data decompresses, but the 8-byte CRC/size trailer is cut off
    byte[] gz = TestData.gzip(TestData.idx(IMAGES, new int[] {2, 2, 2}, patterned(8)));
    Path f = file("notrailer", Arrays.copyOf(gz, gz.length - 8), false);
    fails(f, () -> IdxReader.readImages(f), "gzip");
  }

  @Test
  void gzipCorruptDeflateData() {
    byte[] gz = TestData.gzip(TestData.idx(IMAGES, new int[] {4, 28, 28}, patterned(4 * 784)));
    for (int i = 12; i < 40; i++) {
      gz[i] ^= (byte) 0xA5;
    }
    Path f = file("corrupt", gz, false);
    fails(f, () -> IdxReader.readImages(f), "gzip");
  }

  @Test
  void gzipWrongChecksum() {
    byte[] gz = TestData.gzip(TestData.idx(IMAGES, new int[] {2, 2, 2}, patterned(8)));
    gz[gz.length - 8] ^= 1; // first byte of the CRC-32
    Path f = file("crc", gz, false);
    fails(f, () -> IdxReader.readImages(f), "corrupt gzip data");
  }

  @Test
  void gzipHeaderCorrupt() {
    // the gzip signature followed by an unknown compression method
    Path f = file("badheader", new byte[] {0x1f, (byte) 0x8b, 7, 0, 0, 0, 0, 0, 0, 0}, false);
    fails(f, () -> IdxReader.readImages(f), "gzip");
  }

  private static byte[] patterned(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + (i >> 5));
    }
    return b;
  }
}
