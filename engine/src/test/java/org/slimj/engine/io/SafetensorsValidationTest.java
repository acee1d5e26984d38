package org.slimj.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slimj.engine.io.SafetensorsBytes.concat;
import static org.slimj.engine.io.SafetensorsBytes.file;
import static org.slimj.engine.io.SafetensorsBytes.u64;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every malformed file is rejected at open with a message that names the file, the field or tensor,
 * and what was expected and found. Files are built by hand, byte by byte.
 */
class SafetensorsValidationTest {
  @TempDir Path dir;

  /** Writes {@code bytes} as {@code model.safetensors}, opens it, and returns the message. */
  private String openFails(byte[] bytes) throws IOException {
    Path p = SafetensorsBytes.write(dir, "model.safetensors", bytes);
    SafetensorsException e =
        assertThrows(SafetensorsException.class, () -> SafetensorsFile.open(p).close());
    String prefix = p + ": ";
    assertTrue(e.getMessage().startsWith(prefix), "message names the file: " + e.getMessage());
    return e.getMessage().substring(prefix.length());
  }

  private String openFails(String header, byte[] data) throws IOException {
    return openFails(file(header, data));
  }

  private static String f32(String name, String shape, long begin, long end) {
    return "\""
        + name
        + "\":{\"dtype\":\"F32\",\"shape\":"
        + shape
        + ",\"data_offsets\":["
        + begin
        + ","
        + end
        + "]}";
  }

  @Test
  void fileShorterThanTheLengthField() throws IOException {
    assertEquals("file is 5 bytes, shorter than the 8-byte header length", openFails(new byte[5]));
    assertEquals("file is 0 bytes, shorter than the 8-byte header length", openFails(new byte[0]));
  }

  @Test
  void headerLengthLargerThanTheFile() throws IOException {
    assertEquals(
        "header length 100 exceeds the 20 bytes after the length field",
        openFails(concat(u64(100), new byte[20])));
  }

  @Test
  void headerLengthAboveTheLimitFailsWithoutAllocating() throws IOException {
    assertEquals(
        "header length 200000000 exceeds the limit of 100000000 bytes",
        openFails(concat(u64(200_000_000L), "{}".getBytes(StandardCharsets.US_ASCII))));
    assertEquals(
        "header length 18446744073709551615 exceeds the limit of 100000000 bytes",
        openFails(concat(u64(-1L), new byte[8])));
  }

  @Test
  void headerMustBeUtf8() throws IOException {
    byte[] header =
        concat(
            "{\"a".getBytes(StandardCharsets.US_ASCII),
            new byte[] {(byte) 0xff},
            "\":1}".getBytes(StandardCharsets.US_ASCII));
    assertEquals(
        "header is not valid UTF-8: malformed sequence at byte 3 of the header",
        openFails(concat(u64(header.length), header)));
  }

  @Test
  void headerMustBeOneJsonObject() throws IOException {
    assertEquals("header must start with '{', found byte 0x5b", openFails("[]", new byte[0]));
    assertEquals("header must start with '{', found byte 0x20", openFails(" {}", new byte[0]));
    assertEquals("header must start with '{', found an empty header", openFails("", new byte[0]));
    assertEquals(
        "header is not valid JSON: at character 3: unexpected 'x' after the end of the JSON value",
        openFails("{} x", new byte[0]));
    assertEquals(
        "header is not valid JSON: at character 2: unexpected '\\u0000' after the end of the JSON"
            + " value",
        openFails("{}\0", new byte[0]));
    assertEquals(
        "header is not valid JSON: at character 5: unexpected end of input, expected a value",
        openFails("{\"a\":", new byte[0]));
    // trailing spaces (the reference writer's padding) are fine
    Path p = SafetensorsBytes.write(dir, "ok.safetensors", file("{}      ", new byte[0]));
    SafetensorsFile.open(p).close();
  }

  @Test
  void unknownDtype() throws IOException {
    String m =
        openFails(
            "{\"w\":{\"dtype\":\"F128\",\"shape\":[1],\"data_offsets\":[0,16]}}", new byte[16]);
    assertTrue(m.startsWith("tensor 'w': unknown dtype 'F128', expected one of [BOOL, "), m);
    assertEquals(
        "tensor 'w': dtype must be a string, found integer 32",
        openFails("{\"w\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]));
  }

  @Test
  void negativeDimension() throws IOException {
    assertEquals(
        "tensor 'w': shape [2, -1] has a negative dimension",
        openFails("{" + f32("w", "[2,-1]", 0, 8) + "}", new byte[8]));
  }

  @Test
  void malformedDataOffsets() throws IOException {
    assertEquals(
        "tensor 'w': data_offsets must be [begin, end] with 0 <= begin <= end, found [8, 4]",
        openFails("{" + f32("w", "[1]", 8, 4) + "}", new byte[8]));
    assertEquals(
        "tensor 'w': data_offsets must be [begin, end] with 0 <= begin <= end, found [0]",
        openFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", new byte[4]));
    assertEquals(
        "tensor 'w': data_offsets must be [begin, end] with 0 <= begin <= end, found [-4, 0]",
        openFails("{" + f32("w", "[1]", -4, 0) + "}", new byte[4]));
    assertEquals(
        "tensor 'w': data_offsets must be an array of integers, found a string",
        openFails(
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[\"0\",4]}}", new byte[4]));
    assertEquals(
        "tensor 'w': shape must be an array of integers, found an object",
        openFails("{\"w\":{\"dtype\":\"F32\",\"shape\":{},\"data_offsets\":[0,4]}}", new byte[4]));
  }

  @Test
  void byteRangeMustMatchShapeTimesDtypeSize() throws IOException {
    assertEquals(
        "tensor 'stem.conv.weight': data_offsets [0, 100) hold 100 bytes, shape [4, 3, 3, 3] of"
            + " F32 needs 432",
        openFails("{" + f32("stem.conv.weight", "[4,3,3,3]", 0, 100) + "}", new byte[100]));
    assertEquals(
        "tensor 'x': shape [3] of F4 is 3 elements of 4 bits: not a whole number of bytes or more"
            + " than fit in 64 bits",
        openFails("{\"x\":{\"dtype\":\"F4\",\"shape\":[3],\"data_offsets\":[0,2]}}", new byte[2]));
  }

  @Test
  void elementCountOverflowIsCaught() throws IOException {
    assertEquals(
        "tensor 'w': shape [4294967296, 4294967296] of F32 has more elements than fit in 64 bits",
        openFails("{" + f32("w", "[4294967296,4294967296]", 0, 4) + "}", new byte[4]));
    assertEquals(
        "tensor 'w': shape [4611686018427387904] of F32 is 4611686018427387904 elements of 32"
            + " bits: not a whole number of bytes or more than fit in 64 bits",
        openFails("{" + f32("w", "[4611686018427387904]", 0, 4) + "}", new byte[4]));
  }

  @Test
  void hugeClaimedTensorInATinyFileFailsFast() {
    // 10^12 elements (4 TB) claimed in a 1 KiB file: rejected from the header, nothing allocated
    String header = "{" + f32("w", "[1000000,1000000]", 0, 4_000_000_000_000L) + "}";
    String m =
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> openFails(header, new byte[1024]));
    assertEquals(
        "tensor 'w': data_offsets [0, 4000000000000) extend past the data buffer of 1024 bytes", m);
  }

  @Test
  void offsetsPastTheDataBuffer() throws IOException {
    assertEquals(
        "tensor 'b': data_offsets [4, 8) extend past the data buffer of 6 bytes",
        openFails("{" + f32("a", "[1]", 0, 4) + "," + f32("b", "[1]", 4, 8) + "}", new byte[6]));
  }

  @Test
  void overlappingTensors() throws IOException {
    assertEquals(
        "tensor 'b' at [4, 12) overlaps tensor 'a' at [0, 8)",
        openFails("{" + f32("a", "[2]", 0, 8) + "," + f32("b", "[2]", 4, 12) + "}", new byte[12]));
    assertEquals(
        "tensor 'b' at [0, 8) overlaps tensor 'a' at [0, 8)",
        openFails("{" + f32("a", "[2]", 0, 8) + "," + f32("b", "[2]", 0, 8) + "}", new byte[8]));
  }

  @Test
  void holesBetweenAndAfterTensors() throws IOException {
    assertEquals(
        "bytes [4, 8) of the data buffer belong to no tensor (a hole before tensor 'b')",
        openFails("{" + f32("a", "[1]", 0, 4) + "," + f32("b", "[1]", 8, 12) + "}", new byte[12]));
    assertEquals(
        "bytes [4, 8) at the end of the data buffer belong to no tensor",
        openFails("{" + f32("a", "[1]", 0, 4) + "}", new byte[8]));
    assertEquals(
        "bytes [0, 3) at the end of the data buffer belong to no tensor",
        openFails("{}", new byte[3]));
  }

  @Test
  void zeroSizedTensorsMayShareAnOffset() throws IOException {
    String header =
        "{"
            + f32("a", "[0]", 0, 0)
            + ","
            + f32("b", "[1]", 0, 4)
            + ","
            + f32("c", "[2,0]", 4, 4)
            + ","
            + f32("d", "[0,3]", 4, 4)
            + "}";
    Path p = SafetensorsBytes.write(dir, "zeros.safetensors", file(header, new byte[4]));
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      assertEquals(4, f.tensors().size());
    }
  }

  @Test
  void metadataValuesMustBeStrings() throws IOException {
    assertEquals(
        "__metadata__ value of 'step' must be a string, found integer 3",
        openFails("{\"__metadata__\":{\"step\":3}}", new byte[0]));
    assertEquals(
        "__metadata__ value of 'w' must be a string, found an array",
        openFails("{\"__metadata__\":{\"w\":[\"0.5\"]}}", new byte[0]));
    assertEquals(
        "__metadata__ must be an object of strings, found a string",
        openFails("{\"__metadata__\":\"x\"}", new byte[0]));
    assertEquals(
        "header is not valid JSON: at character 16: unsupported literal starting with 'n' (only"
            + " objects, arrays, strings and integers are supported)",
        openFails("{\"__metadata__\":null}", new byte[0]));
  }

  @Test
  void duplicateKeys() throws IOException {
    assertEquals(
        "header is not valid JSON: at character 54: duplicate key \"a\"",
        openFails("{" + f32("a", "[1]", 0, 4) + "," + f32("a", "[1]", 0, 4) + "}", new byte[4]));
    assertEquals(
        "header is not valid JSON: at character 25: duplicate key \"k\"",
        openFails("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", new byte[0]));
    assertEquals(
        "header is not valid JSON: at character 53: duplicate key \"shape\"",
        openFails(
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"shape\":[1]}}",
            new byte[4]));
  }

  @Test
  void missingAndUnknownTensorFields() throws IOException {
    assertEquals(
        "tensor 'w': missing field 'shape'",
        openFails("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", new byte[4]));
    assertEquals(
        "tensor 'w': unknown field 'strides' (expected dtype, shape, data_offsets)",
        openFails(
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"strides\":[1]}}",
            new byte[4]));
    assertEquals(
        "tensor 'w': entry must be an object, found integer 1",
        openFails("{\"w\":1}", new byte[0]));
  }

  @Test
  void numbersOutOfRangeAndDeepNesting() throws IOException {
    assertEquals(
        "header is not valid JSON: at character 50: integer 99999999999999999999 is out of the"
            + " range of a 64-bit long",
        openFails(
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999]}}",
            new byte[4]));
    String deep = "[".repeat(40) + "]".repeat(40);
    assertEquals(
        "header is not valid JSON: at character 35: nesting deeper than 16 levels",
        openFails("{\"__metadata__\":{\"k\":" + deep + "}}", new byte[0]));
  }

  @Test
  void readingErrorsNameTheTensor() throws IOException {
    Path p =
        SafetensorsBytes.write(
            dir,
            "ints.safetensors",
            file("{\"n\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]));
    try (SafetensorsFile f = SafetensorsFile.open(p)) {
      SafetensorsException e = assertThrows(SafetensorsException.class, () -> f.readFloats("n"));
      assertEquals(
          p + ": tensor 'n' has dtype I32; only F32, F16, BF16 and F64 read as floats",
          e.getMessage());
      e = assertThrows(SafetensorsException.class, () -> f.readFloats("missing"));
      assertEquals(p + ": no tensor named 'missing' among 1 tensors", e.getMessage());
    }
  }
}
