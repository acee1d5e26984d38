package org.slimj.cli.hostile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slimj.engine.io.SafetensorsFile;
import org.slimj.engine.io.SafetensorsWriter;
import org.slimj.engine.tensor.Tensor;

/** Copies a safetensors file with edited metadata or tensor values, as a hostile user would. */
final class Tamper {
  private Tamper() {}

  /**
   * Writes {@code dst}: the tensors of {@code src} after {@code tensors} edited them in place, and
   * its metadata after {@code metadata} edited it.
   */
  static Path copy(Path src, Path dst, Consumer<Map<String, String>> metadata, Consumer<Map<String, Tensor>> tensors)
      throws IOException {
    Map<String, String> meta;
    Map<String, Tensor> all;
    try (SafetensorsFile f = SafetensorsFile.open(src)) {
      meta = new LinkedHashMap<>(f.metadata());
      all = new LinkedHashMap<>(f.readAllTensors());
    }
    metadata.accept(meta);
    tensors.accept(all);
    SafetensorsWriter.write(dst, all, meta);
    return dst;
  }

  /** Sets element {@code i} of tensor {@code name} to {@code v}. */
  static Consumer<Map<String, Tensor>> set(String name, int i, float v) {
    return all -> {
      Tensor t = all.get(name);
      if (t == null) {
        throw new IllegalArgumentException("no tensor " + name + " among " + all.keySet());
      }
      t.data()[t.offset() + i] = v;
    };
  }

  /** Leaves the tensors as they are. */
  static Consumer<Map<String, Tensor>> sameTensors() {
    return all -> {};
  }

  /** Leaves the metadata as it is. */
  static Consumer<Map<String, String>> sameMetadata() {
    return m -> {};
  }
}
