package org.slimj.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slimj.engine.tensor.Tensor;

/**
 * An open safetensors file: its validated header and random access to its tensors.
 *
 * <p>{@link #open} reads and checks the whole header before anything else is allocated: the file
 * must hold the 8-byte length, a header of at most {@link SafetensorsHeader#MAX_HEADER_BYTES} bytes
 * that fits in the file, and tensors that tile the rest of the file exactly. Tensor data is read on
 * demand with positional reads, so one open file may be read from several threads. Close it when
 * done (try-with-resources).
 */
public final class SafetensorsFile implements AutoCloseable {
  private static final int CHUNK_BYTES = 1 << 16;
  private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

  private final Path path;
  private final String source;
  private final FileChannel channel;
  private final SafetensorsHeader header;
  private final long dataStart;

  private SafetensorsFile(
      Path path, FileChannel channel, SafetensorsHeader header, long dataStart) {
    this.path = path;
    this.source = path.toString();
    this.channel = channel;
    this.header = header;
    this.dataStart = dataStart;
  }

  /**
   * Opens and validates {@code path}.
   *
   * @throws SafetensorsException if the file is not a valid safetensors file (the message names the
   *     file, the field or tensor, and what was expected and found)
   * @throws IOException if the file cannot be read
   */
  public static SafetensorsFile open(Path path) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    try {
      String source = path.toString();
      long size = channel.size();
      if (size < 8) {
        throw new SafetensorsException(
            source, "file is " + size + " bytes, shorter than the 8-byte header length");
      }
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0, source, "the header length");
      long n = lengthBytes.flip().getLong();
      if (Long.compareUnsigned(n, SafetensorsHeader.MAX_HEADER_BYTES) > 0) {
        throw new SafetensorsException(
            source,
            "header length "
                + Long.toUnsignedString(n)
                + " exceeds the limit of "
                + SafetensorsHeader.MAX_HEADER_BYTES
                + " bytes");
      }
      if (n > size - 8) {
        throw new SafetensorsException(
            source,
            "header length " + n + " exceeds the " + (size - 8) + " bytes after the length field");
      }
      ByteBuffer headerBytes = ByteBuffer.allocate((int) n);
      readFully(channel, headerBytes, 8, source, "the header");
      SafetensorsHeader header = SafetensorsHeader.parse(source, headerBytes.array(), size - 8 - n);
      return new SafetensorsFile(path, channel, header, 8 + n);
    } catch (IOException | RuntimeException | Error e) {
      try {
        channel.close();
      } catch (IOException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
  }

  /** The path this file was opened from. */
  public Path path() {
    return path;
  }

  /** The validated header. */
  public SafetensorsHeader header() {
    return header;
  }

  /** The {@code __metadata__} entries (empty if the file has none). */
  public Map<String, String> metadata() {
    return header.metadata();
  }

  /** The tensor entries in header order. */
  public List<TensorInfo> tensors() {
    return header.tensors();
  }

  /** File position of the data buffer: 8 plus the header length. */
  public long dataStart() {
    return dataStart;
  }

  /** Whether the file has a tensor named {@code name}. */
  public boolean contains(String name) {
    return header.tensor(name).isPresent();
  }

  /**
   * The entry named {@code name}.
   *
   * @throws SafetensorsException if there is none
   */
  public TensorInfo tensor(String name) throws SafetensorsException {
    return header
        .tensor(name)
        .orElseThrow(
            () ->
                new SafetensorsException(
                    source,
                    "no tensor named '"
                        + name
                        + "' among "
                        + header.tensors().size()
                        + " tensors"));
  }

  /**
   * Reads tensor {@code name} as float32 values in row-major order. F32 is read as is; F16, BF16
   * and F64 are converted to the nearest float.
   *
   * @throws SafetensorsException if there is no such tensor, its dtype is not one of those, or it
   *     has more elements than a Java array holds
   */
  public float[] readFloats(String name) throws IOException {
    TensorInfo info = tensor(name);
    Dtype dtype = info.dtype();
    if (dtype != Dtype.F32 && dtype != Dtype.F16 && dtype != Dtype.BF16 && dtype != Dtype.F64) {
      throw new SafetensorsException(
          source,
          "tensor '"
              + name
              + "' has dtype "
              + dtype
              + "; only F32, F16, BF16 and F64 read as floats");
    }
    long count = info.elementCount();
    if (count > MAX_ARRAY_LENGTH) {
      throw new SafetensorsException(
          source, "tensor '" + name + "' has " + count + " elements, more than a float[] holds");
    }
    float[] out = new float[(int) count];
    int elementBytes = dtype.bits() / 8;
    ByteBuffer buf =
        ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, info.byteLength()))
            .order(ByteOrder.LITTLE_ENDIAN);
    long position = dataStart + info.begin();
    int i = 0;
    while (i < out.length) {
      int n = Math.min(out.length - i, buf.capacity() / elementBytes);
      buf.clear().limit(n * elementBytes);
      readFully(channel, buf, position, source, "tensor '" + name + "'");
      buf.flip();
      switch (dtype) {
        case F32 -> buf.asFloatBuffer().get(out, i, n);
        case F16 -> {
          for (int k = 0; k < n; k++) {
            out[i + k] = Float.float16ToFloat(buf.getShort());
          }
        }
        case BF16 -> {
          for (int k = 0; k < n; k++) {
            out[i + k] = Float.intBitsToFloat((buf.getShort() & 0xffff) << 16);
          }
        }
        case F64 -> {
          for (int k = 0; k < n; k++) {
            out[i + k] = (float) buf.getDouble();
          }
        }
        default -> throw new AssertionError(dtype);
      }
      i += n;
      position += (long) n * elementBytes;
    }
    return out;
  }

  /**
   * Reads the raw little-endian bytes of tensor {@code name}, whatever its dtype.
   *
   * @throws SafetensorsException if there is no such tensor or it is larger than a Java array
   */
  public byte[] readBytes(String name) throws IOException {
    TensorInfo info = tensor(name);
    if (info.byteLength() > MAX_ARRAY_LENGTH) {
      throw new SafetensorsException(
          source,
          "tensor '" + name + "' has " + info.byteLength() + " bytes, more than a byte[] holds");
    }
    ByteBuffer buf = ByteBuffer.allocate((int) info.byteLength());
    readFully(channel, buf, dataStart + info.begin(), source, "tensor '" + name + "'");
    return buf.array();
  }

  /**
   * Reads tensor {@code name} as a new {@link Tensor} of the same shape (see {@link #readFloats}).
   */
  public Tensor readTensor(String name) throws IOException {
    int[] shape = tensor(name).intShapeOrNull();
    if (shape == null) {
      throw new SafetensorsException(
          source, "tensor '" + name + "' has a dimension larger than an int");
    }
    return Tensor.of(readFloats(name), shape);
  }

  /** Reads every tensor (see {@link #readTensor}), keyed by name in header order. */
  public Map<String, Tensor> readAllTensors() throws IOException {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (TensorInfo t : header.tensors()) {
      out.put(t.name(), readTensor(t.name()));
    }
    return out;
  }

  /** Closes the underlying file. */
  @Override
  public void close() throws IOException {
    channel.close();
  }

  private static void readFully(
      FileChannel channel, ByteBuffer buf, long position, String source, String what)
      throws IOException {
    long p = position;
    while (buf.hasRemaining()) {
      int r = channel.read(buf, p);
      if (r < 0) {
        throw new SafetensorsException(
            source, "file ended at byte " + p + " while reading " + what + " (truncated?)");
      }
      p += r;
    }
  }
}
