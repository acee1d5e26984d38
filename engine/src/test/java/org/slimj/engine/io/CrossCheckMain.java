package org.slimj.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Prints safetensors content in the format of {@code scripts/check-safetensors.py}, so the Java
 * writer and reader can be compared with an independent Python parser (and PyTorch) by diff:
 *
 * <pre>
 * CP=engine/target/classes:engine/target/test-classes
 * java -cp $CP org.slimj.engine.io.CrossCheckMain write /tmp/sample.safetensors
 * /usr/bin/python3 scripts/check-safetensors.py /tmp/sample.safetensors --verify
 * java -cp $CP org.slimj.engine.io.CrossCheckMain print some-file.safetensors
 * </pre>
 *
 * <p>{@code scripts/cross-check-safetensors.sh} runs both directions.
 *
 * {@code write} writes a fixed sample and prints what it wrote, computed from the arrays in memory;
 * {@code print} reads a file with {@link SafetensorsFile} and prints what it read.
 */
public final class CrossCheckMain {
  private CrossCheckMain() {}

  /** Entry point: {@code write OUT} or {@code print FILE}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2 || !(args[0].equals("write") || args[0].equals("print"))) {
      System.err.println("usage: CrossCheckMain write OUT | print FILE");
      System.exit(2);
    }
    Path path = Path.of(args[1]);
    if (args[0].equals("write")) {
      writeSample(path);
    } else {
      printFile(path);
    }
  }

  private static void writeSample(Path out) throws IOException {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", "slimj-checkpoint");
    metadata.put("widths", "[0.25,0.5,1.0]");
    metadata.put("note", "quotes \" and backslash \\ and tab\t, unicode ß→✓ 😀");
    Map<String, int[]> shapes = new LinkedHashMap<>();
    shapes.put("stem.conv.weight", new int[] {4, 3, 3, 3});
    shapes.put("stem.bn.weight", new int[] {4});
    shapes.put("blocks.0.conv.weight", new int[] {8, 4, 3, 3});
    shapes.put("head.fc.weight", new int[] {10, 8});
    shapes.put("head.fc.bias", new int[] {10});
    shapes.put("step", new int[] {});
    shapes.put("empty", new int[] {0, 3});
    shapes.put("big", new int[] {70000}); // larger than the writer's 64 KiB buffer
    SafetensorsWriter w = new SafetensorsWriter().putMetadata(metadata);
    Map<String, float[]> values = new LinkedHashMap<>();
    int k = 0;
    for (Map.Entry<String, int[]> e : shapes.entrySet()) {
      int n = Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b);
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = (float) (Math.sin(0.37 * i + k) * Math.pow(10, (i % 7) - 3));
      }
      if (n > 3) {
        v[1] = -0.0f;
        v[2] = Float.MIN_VALUE; // subnormal
        v[3] = -6.5e-42f; // negative subnormal
      }
      values.put(e.getKey(), v);
      w.add(e.getKey(), v, 0, e.getValue());
      k++;
    }
    w.write(out);
    metadata.forEach((key, value) -> System.out.println(metadataLine(key, value)));
    for (Map.Entry<String, float[]> e : values.entrySet()) {
      float[] v = e.getValue();
      ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(v);
      long[] shape = Arrays.stream(shapes.get(e.getKey())).asLongStream().toArray();
      System.out.println(tensorLine(e.getKey(), Dtype.F32, shape, b.array(), v));
    }
  }

  private static void printFile(Path file) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      f.metadata().forEach((key, value) -> System.out.println(metadataLine(key, value)));
      for (TensorInfo t : f.tensors()) {
        Dtype d = t.dtype();
        boolean floats = d == Dtype.F32 || d == Dtype.F16 || d == Dtype.BF16 || d == Dtype.F64;
        System.out.println(
            tensorLine(
                t.name(),
                d,
                t.shape(),
                f.readBytes(t.name()),
                floats ? f.readFloats(t.name()) : null));
      }
    }
  }

  private static String metadataLine(String key, String value) {
    return "metadata " + Json.write(key) + " = " + Json.write(value);
  }

  private static String tensorLine(String name, Dtype dtype, long[] shape, byte[] raw, float[] v) {
    CRC32 crc = new CRC32();
    crc.update(raw);
    String line =
        String.format(
            Locale.ROOT,
            "tensor %s %s %s crc32=%08x",
            name,
            dtype,
            Arrays.toString(shape),
            crc.getValue());
    if (v != null) {
      double s = 0;
      for (float x : v) {
        s += x;
      }
      line +=
          String.format(Locale.ROOT, " sum=%.6e sumbits=%016x", s, Double.doubleToRawLongBits(s));
    }
    return line;
  }
}
