package org.slimj.engine.io;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The JSON header of a safetensors file: metadata and tensor entries, validated against the length
 * of the data buffer that follows it. {@link #parse} is strict; {@link #encode} writes what the
 * reference writer writes (compact JSON, {@code __metadata__} first, padded with spaces to a
 * multiple of 8 bytes).
 */
public final class SafetensorsHeader {
  /** Largest header that readers accept, in bytes (the reference implementation's limit). */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  /** The reserved key that holds the string-to-string metadata. */
  public static final String METADATA_KEY = "__metadata__";

  private static final Set<String> TENSOR_FIELDS = Set.of("dtype", "shape", "data_offsets");

  private final Map<String, String> metadata;
  private final List<TensorInfo> tensors;
  private final Map<String, TensorInfo> byName;
  private final long dataLength;

  private SafetensorsHeader(
      Map<String, String> metadata, List<TensorInfo> tensors, long dataLength) {
    this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    this.tensors = List.copyOf(tensors);
    Map<String, TensorInfo> m = new LinkedHashMap<>();
    for (TensorInfo t : tensors) {
      m.put(t.name(), t);
    }
    this.byName = Collections.unmodifiableMap(m);
    this.dataLength = dataLength;
  }

  /** The {@code __metadata__} entries in header order (empty if the header has none). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** The tensor entries in header order. */
  public List<TensorInfo> tensors() {
    return tensors;
  }

  /** The entry named {@code name}, if any. */
  public Optional<TensorInfo> tensor(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Length of the data buffer that the tensors tile. */
  public long dataLength() {
    return dataLength;
  }

  /**
   * Parses and validates header bytes (without the 8-byte length prefix).
   *
   * @param source names the file in error messages
   * @param bytes the header, UTF-8 JSON starting with '{', possibly followed by whitespace
   * @param dataLength length of the data buffer after the header; the tensors must tile it exactly
   * @throws SafetensorsException naming the source, the field or tensor, and expected vs found
   */
  public static SafetensorsHeader parse(String source, byte[] bytes, long dataLength)
      throws SafetensorsException {
    if (bytes.length == 0 || bytes[0] != '{') {
      throw new SafetensorsException(
          source,
          "header must start with '{', found "
              + (bytes.length == 0 ? "an empty header" : String.format("byte 0x%02x", bytes[0])));
    }
    String text = decodeUtf8(source, bytes);
    Object root;
    try {
      root = Json.parse(text);
    } catch (JsonException e) {
      throw new SafetensorsException(source, "header is not valid JSON: " + e.getMessage(), e);
    }
    if (!(root instanceof Map<?, ?> entries)) {
      throw new SafetensorsException(
          source, "header must be a JSON object, found " + describe(root));
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    List<TensorInfo> tensors = new ArrayList<>();
    for (Map.Entry<?, ?> e : entries.entrySet()) {
      String key = (String) e.getKey();
      if (key.equals(METADATA_KEY)) {
        metadata = parseMetadata(source, e.getValue());
      } else {
        tensors.add(parseTensor(source, key, e.getValue(), dataLength));
      }
    }
    checkTiling(source, tensors, dataLength);
    return new SafetensorsHeader(metadata, tensors, dataLength);
  }

  /**
   * Encodes metadata and tensor entries as header bytes padded with spaces to a multiple of 8 (the
   * caller is responsible for the entries tiling the data buffer in order).
   */
  static byte[] encode(Map<String, String> metadata, List<TensorInfo> tensors) {
    Map<String, Object> root = new LinkedHashMap<>();
    if (!metadata.isEmpty()) {
      root.put(METADATA_KEY, metadata);
    }
    for (TensorInfo t : tensors) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("dtype", t.dtype().name());
      List<Long> shape = new ArrayList<>();
      for (long d : t.shape()) {
        shape.add(d);
      }
      entry.put("shape", shape);
      entry.put("data_offsets", List.of(t.begin(), t.end()));
      if (root.put(t.name(), entry) != null) {
        throw new IllegalArgumentException("duplicate tensor name '" + t.name() + "'");
      }
    }
    byte[] json = Json.write(root).getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) & ~7;
    byte[] out = Arrays.copyOf(json, padded);
    Arrays.fill(out, json.length, padded, (byte) ' ');
    return out;
  }

  private static String decodeUtf8(String source, byte[] bytes) throws SafetensorsException {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = decoder.decode(in, out, true);
    if (r.isUnderflow()) {
      r = decoder.flush(out);
    }
    if (r.isError()) {
      throw new SafetensorsException(
          source,
          "header is not valid UTF-8: malformed sequence at byte "
              + in.position()
              + " of the header");
    }
    return out.flip().toString();
  }

  private static Map<String, String> parseMetadata(String source, Object value)
      throws SafetensorsException {
    if (!(value instanceof Map<?, ?> map)) {
      throw new SafetensorsException(
          source, METADATA_KEY + " must be an object of strings, found " + describe(value));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getValue() instanceof String s)) {
        throw new SafetensorsException(
            source,
            METADATA_KEY
                + " value of '"
                + e.getKey()
                + "' must be a string, found "
                + describe(e.getValue()));
      }
      out.put((String) e.getKey(), s);
    }
    return out;
  }

  private static TensorInfo parseTensor(String source, String name, Object value, long dataLength)
      throws SafetensorsException {
    String where = "tensor '" + name + "': ";
    if (!(value instanceof Map<?, ?> fields)) {
      throw new SafetensorsException(
          source, where + "entry must be an object, found " + describe(value));
    }
    for (Object k : fields.keySet()) {
      if (!TENSOR_FIELDS.contains(k)) {
        throw new SafetensorsException(
            source, where + "unknown field '" + k + "' (expected dtype, shape, data_offsets)");
      }
    }
    for (String f : List.of("dtype", "shape", "data_offsets")) {
      if (!fields.containsKey(f)) {
        throw new SafetensorsException(source, where + "missing field '" + f + "'");
      }
    }
    if (!(fields.get("dtype") instanceof String dtypeName)) {
      throw new SafetensorsException(
          source, where + "dtype must be a string, found " + describe(fields.get("dtype")));
    }
    Dtype dtype =
        Dtype.fromName(dtypeName)
            .orElseThrow(
                () ->
                    new SafetensorsException(
                        source,
                        where
                            + "unknown dtype '"
                            + dtypeName
                            + "', expected one of "
                            + Dtype.knownNames()));
    long[] shape = longList(source, where, "shape", fields.get("shape"));
    for (long d : shape) {
      if (d < 0) {
        throw new SafetensorsException(
            source, where + "shape " + Arrays.toString(shape) + " has a negative dimension");
      }
    }
    long[] offsets = longList(source, where, "data_offsets", fields.get("data_offsets"));
    if (offsets.length != 2 || offsets[0] < 0 || offsets[0] > offsets[1]) {
      throw new SafetensorsException(
          source,
          where
              + "data_offsets must be [begin, end] with 0 <= begin <= end, found "
              + Arrays.toString(offsets));
    }
    long begin = offsets[0];
    long end = offsets[1];
    String range = "data_offsets [" + begin + ", " + end + ")";
    String typedShape = "shape " + Arrays.toString(shape) + " of " + dtype;
    long elements = 1;
    for (long d : shape) {
      if (d != 0 && elements > Long.MAX_VALUE / d) {
        throw new SafetensorsException(
            source, where + typedShape + " has more elements than fit in 64 bits");
      }
      elements *= d;
    }
    OptionalLong needed = dtype.byteLength(elements);
    if (needed.isEmpty()) {
      throw new SafetensorsException(
          source,
          where
              + typedShape
              + " is "
              + elements
              + " elements of "
              + dtype.bits()
              + " bits: not a whole number of bytes or more than fit in 64 bits");
    }
    if (end - begin != needed.getAsLong()) {
      throw new SafetensorsException(
          source,
          where
              + range
              + " hold "
              + (end - begin)
              + " bytes, "
              + typedShape
              + " needs "
              + needed.getAsLong());
    }
    if (end > dataLength) {
      throw new SafetensorsException(
          source, where + range + " extend past the data buffer of " + dataLength + " bytes");
    }
    return new TensorInfo(name, dtype, shape, begin, end);
  }

  private static long[] longList(String source, String where, String field, Object value)
      throws SafetensorsException {
    if (!(value instanceof List<?> list)) {
      throw new SafetensorsException(
          source, where + field + " must be an array of integers, found " + describe(value));
    }
    long[] out = new long[list.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(list.get(i) instanceof Long n)) {
        throw new SafetensorsException(
            source,
            where + field + " must be an array of integers, found " + describe(list.get(i)));
      }
      out[i] = n;
    }
    return out;
  }

  private static void checkTiling(String source, List<TensorInfo> tensors, long dataLength)
      throws SafetensorsException {
    List<TensorInfo> sorted = new ArrayList<>(tensors);
    sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
    long expected = 0;
    TensorInfo previous = null;
    for (TensorInfo t : sorted) {
      if (t.begin() > expected) {
        throw new SafetensorsException(
            source,
            "bytes ["
                + expected
                + ", "
                + t.begin()
                + ") of the data buffer belong to no tensor (a hole before tensor '"
                + t.name()
                + "')");
      }
      if (t.begin() < expected) {
        throw new SafetensorsException(
            source,
            "tensor '"
                + t.name()
                + "' at ["
                + t.begin()
                + ", "
                + t.end()
                + ") overlaps tensor '"
                + previous.name()
                + "' at ["
                + previous.begin()
                + ", "
                + previous.end()
                + ")");
      }
      expected = t.end();
      previous = t;
    }
    if (expected != dataLength) {
      throw new SafetensorsException(
          source,
          "bytes ["
              + expected
              + ", "
              + dataLength
              + ") at the end of the data buffer belong to no tensor");
    }
  }

  private static String describe(Object v) {
    return switch (v) {
      case String s -> "a string";
      case Long n -> "integer " + n;
      case List<?> l -> "an array";
      case Map<?, ?> m -> "an object";
      case null -> "nothing";
      default -> v.getClass().getSimpleName();
    };
  }
}
