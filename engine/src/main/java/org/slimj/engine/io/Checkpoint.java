package org.slimj.engine.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.nn.slim.SlimBatchNorm;
import org.slimj.engine.optim.Sgd;

/**
 * Checkpoints in safetensors: every parameter under its dotted name at its full (maximum) shape,
 * the batch-norm running statistics, optionally the optimizer's momentum buffers, and metadata
 * holding the model spec plus whatever the trainer adds (mode, widths, step, epoch, seed, ...).
 * Written atomically, so a crash never leaves a broken checkpoint.
 */
public final class Checkpoint {
  /** Metadata key naming the format. */
  public static final String FORMAT_KEY = "slimj.format";

  /** Format name and version of checkpoints this class writes. */
  public static final String FORMAT = "slimj-checkpoint-1";

  private Checkpoint() {}

  /** Writes {@code model} (built from {@code spec}), the optimizer state if not null, and {@code extra} metadata. */
  public static void save(Path file, ModelSpec spec, SlimModel model, Sgd optimizer, Map<String, String> extra)
      throws IOException {
    SafetensorsWriter w = new SafetensorsWriter();
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put(FORMAT_KEY, FORMAT);
    meta.putAll(spec.toMetadata());
    meta.putAll(extra);
    w.putMetadata(meta);
    for (Parameter p : model.parameters()) {
      w.add(p.name(), p.tensor());
    }
    for (SlimBatchNorm bn : model.batchNorms()) {
      for (Map.Entry<String, float[]> e : bn.buffers().entrySet()) {
        w.add(e.getKey(), e.getValue(), 0, e.getValue().length);
      }
    }
    if (optimizer != null) {
      for (Map.Entry<String, float[]> e : optimizer.state().entrySet()) {
        w.add(e.getKey(), e.getValue(), 0, e.getValue().length);
      }
    }
    try {
      w.write(file);
    } catch (IOException e) {
      throw FileErrors.describe("write checkpoint to", file, e);
    }
  }

  /**
   * A loaded checkpoint.
   *
   * @param spec the model spec
   * @param model the model with the checkpoint's weights and statistics
   * @param metadata all metadata
   */
  public record Loaded(ModelSpec spec, SlimModel model, Map<String, String> metadata) {}

  /**
   * Rebuilds the model of {@code file} and loads its weights and batch-norm statistics.
   *
   * @throws SafetensorsException if the file is not a checkpoint of a model this code builds, a
   *     tensor is missing or has another shape, a value is NaN or infinite, or a running variance
   *     is negative (the message names the file and the tensor)
   */
  public static Loaded load(Path file) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      Map<String, String> meta = f.metadata();
      String format = meta.get(FORMAT_KEY);
      if (!FORMAT.equals(format)) {
        throw new SafetensorsException(file.toString(),
            "not a slimj checkpoint (metadata " + FORMAT_KEY + " is " + (format == null ? "missing" : "'" + format + "'")
                + ", expected '" + FORMAT + "')");
      }
      ModelSpec spec;
      try {
        spec = ModelSpec.fromMetadata(meta, file.toString());
      } catch (IllegalArgumentException e) {
        throw new SafetensorsException(file.toString(), e.getMessage(), e);
      }
      SlimModel model;
      try {
        model = spec.build(new SplittableRandom(0));
      } catch (IllegalArgumentException e) {
        throw new SafetensorsException(file.toString(), "metadata describes a model that cannot be built: "
            + e.getMessage(), e);
      }
      for (Parameter p : model.parameters()) {
        copy(f, p.name(), p.tensor().shape(), p.tensor().data(), p.tensor().offset());
      }
      for (SlimBatchNorm bn : model.batchNorms()) {
        for (Map.Entry<String, float[]> e : bn.buffers().entrySet()) {
          copy(f, e.getKey(), new int[] {e.getValue().length}, e.getValue(), 0);
        }
      }
      return new Loaded(spec, model, meta);
    }
  }

  /** Loads the momentum buffers of {@code optimizer} (built over the loaded model's parameters) from {@code file}. */
  public static void loadOptimizer(Path file, Sgd optimizer) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      for (Map.Entry<String, float[]> e : optimizer.state().entrySet()) {
        copy(f, e.getKey(), new int[] {e.getValue().length}, e.getValue(), 0);
      }
    }
  }

  private static void copy(SafetensorsFile f, String name, int[] shape, float[] dst, int off) throws IOException {
    if (!f.contains(name)) {
      throw new SafetensorsException(f.path().toString(), "checkpoint has no tensor '" + name + "' that the model needs");
    }
    long[] found = f.tensor(name).shape();
    long[] expected = Arrays.stream(shape).asLongStream().toArray();
    if (!Arrays.equals(found, expected)) {
      throw new SafetensorsException(f.path().toString(),
          "tensor '" + name + "': expected shape " + Arrays.toString(expected) + ", found "
              + Arrays.toString(found));
    }
    float[] v = f.readFloats(name);
    TensorValues.requireFinite(f.path().toString(), name, v);
    if (TensorValues.isVariance(name)) {
      TensorValues.requireVariance(f.path().toString(), name, v);
    }
    System.arraycopy(v, 0, dst, off, v.length);
  }
}
