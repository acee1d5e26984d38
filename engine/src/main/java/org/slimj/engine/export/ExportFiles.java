package org.slimj.engine.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slimj.engine.io.SafetensorsWriter;
import org.slimj.engine.tensor.Tensor;

/**
 * The files of an exported network in a directory: {@code model.safetensors} (the tensors, with
 * {@code slimj.format} metadata) and {@code model.json} (the {@link NetworkSpec}). Each is written
 * atomically (temporary file, force, rename); the JSON is written last, so a directory whose JSON
 * is complete has the tensors it names.
 */
public final class ExportFiles {
  /** The tensors file inside the directory. */
  public static final String TENSORS = "model.safetensors";

  /** The description file inside the directory. */
  public static final String SPEC = "model.json";

  private ExportFiles() {}

  /** Writes {@code m} into {@code dir} (created if missing), replacing an earlier export. */
  public static void write(Path dir, Exporter.ExportedModel m) throws IOException {
    try {
      Files.createDirectories(dir);
      SafetensorsWriter w = new SafetensorsWriter();
      w.putMetadata("slimj.format", NetworkSpec.FORMAT + "-" + NetworkSpec.VERSION);
      for (Map.Entry<String, Tensor> e : m.tensors().entrySet()) {
        w.add(e.getKey(), e.getValue());
      }
      w.write(dir.resolve(TENSORS));
      writeStringAtomically(dir.resolve(SPEC), m.spec().toJson());
    } catch (IOException e) {
      throw org.slimj.engine.io.FileErrors.describe("write exported network to", dir, e);
    }
  }

  /** Writes {@code text} as UTF-8 to {@code target} through a temporary file and an atomic rename. */
  static void writeStringAtomically(Path target, String text) throws IOException {
    org.slimj.engine.io.AtomicFiles.writeString(target, text);
  }
}
