package org.slimj.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slimj.engine.tensor.Shapes;
import org.slimj.engine.tensor.Tensor;

/**
 * Writes float32 tensors and string metadata as a safetensors file, atomically.
 *
 * <p>Tensors are laid out in the order they were added, without gaps; the header is compact JSON
 * with {@code __metadata__} first, padded with spaces to a multiple of 8 bytes, so the data buffer
 * starts 8-byte aligned. Tensor values are not copied when added: they are read when {@link #write}
 * runs, streamed through a small little-endian buffer.
 *
 * <p>{@link #write} writes a temporary file next to the target, forces it to disk, then renames it
 * over the target in one atomic step. If anything fails before the rename, the temporary file is
 * deleted and the target is left as it was. A writer is not thread-safe; it may be written
 * several times (each write reads the arrays afresh).
 *
 * <pre>{@code
 * new SafetensorsWriter()
 *     .putMetadata("widths", "[0.25,0.5,1.0]")
 *     .add("stem.conv.weight", weight)
 *     .write(Path.of("model.safetensors"));
 * }</pre>
 */
public final class SafetensorsWriter {
  private static final int BUFFER_BYTES = 1 << 16;

  /** Called after each buffer of bytes reaches the temporary file; lets tests inject failures. */
  @FunctionalInterface
  interface FlushHook {
    /** {@code bytesWritten} counts bytes of the file written so far, length prefix included. */
    void afterFlush(long bytesWritten) throws IOException;
  }

  private record Entry(String name, float[] data, int offset, int[] shape, int size) {}

  private final Map<String, String> metadata = new LinkedHashMap<>();
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  /** An empty writer. */
  public SafetensorsWriter() {}

  /**
   * Adds (or replaces) one metadata entry.
   *
   * @throws IllegalArgumentException if key or value has an unpaired surrogate
   */
  public SafetensorsWriter putMetadata(String key, String value) {
    Json.requireWellFormed(key);
    Json.requireWellFormed(value);
    metadata.put(key, value);
    return this;
  }

  /** Adds (or replaces) every entry of {@code values}, in its iteration order. */
  public SafetensorsWriter putMetadata(Map<String, String> values) {
    values.forEach(this::putMetadata);
    return this;
  }

  /**
   * Adds the values of {@code tensor} (not copied) under {@code name}; see {@link #add(String,
   * float[], int, int...)}.
   */
  public SafetensorsWriter add(String name, Tensor tensor) {
    return add(name, tensor.data(), tensor.offset(), tensor.shape());
  }

  /**
   * Adds a float32 tensor of {@code shape} whose row-major values are {@code data[offset ... offset
   * + volume(shape))}. The array is not copied; it is read by {@link #write}.
   *
   * @throws IllegalArgumentException if the name is empty, reserved ({@code __metadata__}), already
   *     added or has an unpaired surrogate, if a dimension is negative, or if the values do not fit
   *     in {@code data}
   */
  public SafetensorsWriter add(String name, float[] data, int offset, int... shape) {
    if (name.isEmpty() || name.equals(SafetensorsHeader.METADATA_KEY)) {
      throw new IllegalArgumentException("tensor name must be non-empty and not '" + name + "'");
    }
    Json.requireWellFormed(name);
    if (entries.containsKey(name)) {
      throw new IllegalArgumentException("tensor '" + name + "' was already added");
    }
    int size = Shapes.volume(shape);
    if (offset < 0 || offset > data.length - size) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "': shape "
              + Arrays.toString(shape)
              + " at offset "
              + offset
              + " needs "
              + size
              + " values, array has length "
              + data.length);
    }
    entries.put(name, new Entry(name, data, offset, shape.clone(), size));
    return this;
  }

  /** Number of tensors added. */
  public int size() {
    return entries.size();
  }

  /**
   * Writes the file atomically: on success {@code target} holds the new content; on failure the
   * target is unchanged and no temporary file remains. On POSIX file systems the directory is
   * forced to disk after the rename; an exception from that step means the target was replaced but
   * the rename may not yet be durable.
   *
   * @throws IOException if writing, forcing or renaming fails
   */
  public void write(Path target) throws IOException {
    write(target, bytes -> {});
  }

  /**
   * Convenience: writes {@code tensors} (in iteration order) and {@code metadata} to {@code
   * target}.
   */
  public static void write(Path target, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    SafetensorsWriter w = new SafetensorsWriter().putMetadata(metadata);
    tensors.forEach(w::add);
    w.write(target);
  }

  /** {@link #write(Path)} with a hook called after every flush (tests inject failures with it). */
  void write(Path target, FlushHook hook) throws IOException {
    byte[] header = encodeHeader(target);
    AtomicFiles.write(target, ch -> writeContent(ch, header, hook));
  }

  private byte[] encodeHeader(Path target) throws SafetensorsException {
    List<TensorInfo> infos = new ArrayList<>();
    long begin = 0;
    for (Entry e : entries.values()) {
      long[] shape = Arrays.stream(e.shape).asLongStream().toArray();
      long end = begin + 4L * e.size;
      infos.add(new TensorInfo(e.name, Dtype.F32, shape, begin, end));
      begin = end;
    }
    byte[] header = SafetensorsHeader.encode(metadata, infos);
    if (header.length > SafetensorsHeader.MAX_HEADER_BYTES) {
      throw new SafetensorsException(
          target.toString(),
          "header would be "
              + header.length
              + " bytes, more than the "
              + SafetensorsHeader.MAX_HEADER_BYTES
              + " that readers accept");
    }
    return header;
  }

  private void writeContent(FileChannel ch, byte[] header, FlushHook hook) throws IOException {
    Sink sink = new Sink(ch, hook);
    sink.buf.putLong(header.length);
    for (int i = 0; i < header.length; ) {
      sink.ensureRemaining(1);
      int n = Math.min(sink.buf.remaining(), header.length - i);
      sink.buf.put(header, i, n);
      i += n;
    }
    for (Entry e : entries.values()) {
      for (int i = 0; i < e.size; ) {
        sink.ensureRemaining(Float.BYTES);
        int n = Math.min(e.size - i, sink.buf.remaining() / Float.BYTES);
        sink.buf.asFloatBuffer().put(e.data, e.offset + i, n);
        sink.buf.position(sink.buf.position() + n * Float.BYTES);
        i += n;
      }
    }
    sink.flush();
  }

  /** A little-endian buffer in front of a channel, counting the bytes that reached it. */
  private static final class Sink {
    final ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final FileChannel channel;
    private final FlushHook hook;
    private long written;

    Sink(FileChannel channel, FlushHook hook) {
      this.channel = channel;
      this.hook = hook;
    }

    void ensureRemaining(int bytes) throws IOException {
      if (buf.remaining() < bytes) {
        flush();
      }
    }

    void flush() throws IOException {
      buf.flip();
      while (buf.hasRemaining()) {
        written += channel.write(buf);
      }
      buf.clear();
      hook.afterFlush(written);
    }
  }
}
