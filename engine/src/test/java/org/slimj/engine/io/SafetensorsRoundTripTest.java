package org.slimj.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slimj.engine.io.SafetensorsBytes.concat;
import static org.slimj.engine.io.SafetensorsBytes.file;
import static org.slimj.engine.io.SafetensorsBytes.u64;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.engine.tensor.Tensor;

/** Writing then reading, the exact byte layout, padding, and reading the other float dtypes. */
class SafetensorsRoundTripTest {
  @TempDir Path dir;

  @Test
  void roundTripKeepsNamesShapesValuesAndMetadataInOrder() throws IOException {
    long seed = 20240611L;
    Random rnd = new Random(seed);
    Map<String, int[]> shapes = new LinkedHashMap<>();
    shapes.put("stem.conv.weight", new int[] {4, 3, 3, 3});
    shapes.put("blocks.3.expand.bn.weight", new int[] {8});
    shapes.put("step", new int[] {});
    shapes.put("head.fc.weight", new int[] {10, 8});
    shapes.put("blocks.0.zero", new int[] {2, 0, 3});
    shapes.put("a", new int[] {2, 1, 3, 1});
    shapes.put("big", new int[] {40_000}); // spans several 64 KiB writer buffers
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("spec", "{\"layers\":[{\"kind\":\"conv\",\"name\":\"stem.conv\"}]}");
    metadata.put("path", "C:\\models\\slim \"v2\"");
    metadata.put("unicode", "größe → ✓ 😀 日本");
    metadata.put("control", "line1\nline2\ttab\u0001\u001f end");
    metadata.put("", "empty key");

    SafetensorsWriter w = new SafetensorsWriter().putMetadata(metadata);
    Map<String, float[]> expected = new LinkedHashMap<>();
    for (Map.Entry<String, int[]> e : shapes.entrySet()) {
      Tensor t = Tensor.zeros(e.getValue());
      for (int i = 0; i < t.size(); i++) {
        t.set(i, (float) rnd.nextGaussian());
      }
      expected.put(e.getKey(), t.toArray());
      w.add(e.getKey(), t);
    }
    // a view into a larger array, with special values whose bits must survive
    float[] backing = new float[10];
    float[] special = {
      -0.0f, Float.MIN_VALUE, Float.POSITIVE_INFINITY, Float.intBitsToFloat(0x7fc00123)
    };
    System.arraycopy(special, 0, backing, 3, 4);
    w.add("special", backing, 3, 2, 2);
    expected.put("special", special);

    Path p = dir.resolve("model.safetensors");
    w.write(p);

    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      assertEquals(metadata, f.metadata(), "seed " + seed);
      assertEquals(new ArrayList<>(metadata.keySet()), new ArrayList<>(f.metadata().keySet()));
      List<String> names = f.tensors().stream().map(TensorInfo::name).toList();
      assertEquals(new ArrayList<>(expected.keySet()), names, "tensors in insertion order");
      long offset = 0;
      for (TensorInfo info : f.tensors()) {
        assertEquals(Dtype.F32, info.dtype());
        assertEquals(offset, info.begin(), "no gap before " + info.name());
        offset = info.end();
        float[] got = f.readFloats(info.name());
        float[] want = expected.get(info.name());
        assertEquals(want.length, got.length, info.name());
        for (int i = 0; i < want.length; i++) {
          assertEquals(
              Float.floatToRawIntBits(want[i]),
              Float.floatToRawIntBits(got[i]),
              "seed " + seed + ", tensor " + info.name() + ", element " + i);
        }
      }
      assertEquals(Files.size(p) - f.dataStart(), offset, "tensors fill the data buffer");
      for (Map.Entry<String, int[]> e : shapes.entrySet()) {
        Tensor t = f.readTensor(e.getKey());
        assertArrayEquals(e.getValue(), t.shape(), e.getKey());
      }
      assertArrayEquals(new int[] {2, 2}, f.readTensor("special").shape());
      assertEquals(0, f.readTensor("step").rank());
      assertEquals(0, f.readFloats("blocks.0.zero").length);
      assertEquals(expected.keySet(), f.readAllTensors().keySet());
    }
  }

  /**
   * The expected bytes were written out by hand from the format description: the header length 0x88
   * = 136 (134 bytes of JSON plus 2 spaces of padding), the compact JSON header with {@code
   * __metadata__} first, then 1.0f, -2.0f and 0.5f as little-endian IEEE 754 words. The reference
   * Python writer (safetensors 0.8.0 {@code save}) produces the same 156 bytes for this input.
   */
  @Test
  void writesExactlyTheBytesOfTheFormat() throws IOException {
    String json =
        "{\"__metadata__\":{\"k\":\"v\"},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b.c\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[8,12]}}";
    byte[] expected =
        concat(
            HexFormat.of().parseHex("8800000000000000"),
            (json + "  ").getBytes(StandardCharsets.US_ASCII),
            HexFormat.of().parseHex("0000803f" + "000000c0" + "0000003f"));
    assertEquals(156, expected.length);

    Path p = dir.resolve("tiny.safetensors");
    new SafetensorsWriter()
        .putMetadata("k", "v")
        .add("a", new float[] {1f, -2f}, 0, 2)
        .add("b.c", Tensor.of(new float[] {0.5f}))
        .write(p);
    assertArrayEquals(expected, Files.readAllBytes(p));
  }

  @Test
  void headerIsPaddedWithSpacesToAMultipleOfEightAndDataStartsRightAfter() throws IOException {
    for (int extra = 0; extra < 16; extra++) {
      Path p = dir.resolve("pad" + extra + ".safetensors");
      new SafetensorsWriter()
          .putMetadata("m", "x".repeat(extra))
          .add("w", new float[] {3f}, 0, 1)
          .write(p);
      byte[] bytes = Files.readAllBytes(p);
      long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      assertEquals(0, n % 8, "header length " + n + " with " + extra + " metadata chars");
      String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
      String trimmed = header.stripTrailing();
      assertTrue(trimmed.endsWith("}"), header);
      assertTrue(header.substring(trimmed.length()).chars().allMatch(c -> c == ' '), header);
      assertTrue(header.length() - trimmed.length() < 8, "at most 7 padding spaces: " + header);
      assertEquals(8 + n + 4, bytes.length);
      assertArrayEquals(
          SafetensorsBytes.f32(3f), Arrays.copyOfRange(bytes, (int) (8 + n), bytes.length));
      try (SafetensorsFile f = SafetensorsFile.open(p)) {
        assertEquals(8 + n, f.dataStart());
        assertEquals(3f, f.readFloats("w")[0]);
      }
    }
  }

  @Test
  void emptyFileHasOnlyABraceHeader() throws IOException {
    Path p = dir.resolve("empty.safetensors");
    new SafetensorsWriter().write(p);
    assertArrayEquals(
        concat(u64(8), "{}      ".getBytes(StandardCharsets.US_ASCII)), Files.readAllBytes(p));
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      assertTrue(f.tensors().isEmpty());
      assertTrue(f.metadata().isEmpty());
    }
  }

  @Test
  void readsHalfBfloatAndDoubleAsFloats() throws IOException {
    String header =
        "{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
            + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[6,10]},"
            + "\"d\":{\"dtype\":\"F64\",\"shape\":[1,1],\"data_offsets\":[10,18]},"
            + "\"i\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[18,26]}}";
    byte[] data =
        HexFormat.of()
            .parseHex(
                "003c"
                    + "00c0"
                    + "0038" // F16 1.0, -2.0, 0.5
                    + "803f"
                    + "40c0" // BF16 1.0, -3.0
                    + "000000000000d03f" // F64 0.25
                    + "0700000000000000"); // I64 7
    Path p = SafetensorsBytes.write(dir, "mixed.safetensors", file(header, data));
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      assertArrayEquals(new float[] {1f, -2f, 0.5f}, f.readFloats("h"));
      assertArrayEquals(new float[] {1f, -3f}, f.readFloats("b"));
      assertArrayEquals(new float[] {0.25f}, f.readFloats("d"));
      assertArrayEquals(new int[] {1, 1}, f.readTensor("d").shape());
      assertArrayEquals(HexFormat.of().parseHex("0700000000000000"), f.readBytes("i"));
      assertEquals(Dtype.I64, f.tensor("i").dtype());
    }
  }

  @Test
  void convenienceWriterTakesTensorsAndMetadataMaps() throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("x.weight", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
    tensors.put("x.bias", Tensor.of(new float[] {7, 8}, 2));
    Path p = dir.resolve("conv.safetensors");
    SafetensorsWriter.write(p, tensors, Map.of("step", "42"));
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      assertEquals(Map.of("step", "42"), f.metadata());
      Map<String, Tensor> back = f.readAllTensors();
      assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, back.get("x.weight").toArray());
      assertArrayEquals(new int[] {2, 3}, back.get("x.weight").shape());
      assertArrayEquals(new float[] {7, 8}, back.get("x.bias").toArray());
    }
  }
}
