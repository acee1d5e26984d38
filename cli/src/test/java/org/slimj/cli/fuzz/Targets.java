package org.slimj.cli.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.slimj.cli.ConfigFiles;
import org.slimj.cli.train.RunRecord;
import org.slimj.datasets.DatasetException;
import org.slimj.datasets.IdxReader;
import org.slimj.engine.export.ExportFiles;
import org.slimj.engine.export.Exporter;
import org.slimj.engine.infer.ExportedPredictor;
import org.slimj.engine.infer.Predictor;
import org.slimj.engine.io.Checkpoint;
import org.slimj.engine.kernels.ScalarKernels;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.nn.slim.SlimBatchNorm;
import org.slimj.engine.space.Activation;
import org.slimj.engine.space.LayerKind;
import org.slimj.engine.tensor.Tensor;
import org.slimj.search.latency.LatencyGrid;
import org.slimj.search.latency.LatencyTable;
import org.slimj.search.latency.LatencyTableFile;
import org.slimj.search.latency.LayerSignature;
import org.slimj.search.latency.Provenance;

/** The loaders fuzzed, each with valid seed inputs written by slimj's own writers. */
final class Targets {
  private static final ModelSpec SPEC = new ModelSpec("smallcnn", 0.5, 1, 12, 10, BnKind.SWITCHABLE,
      new double[] {0.25, 0.5});

  private Targets() {}

  /** Every target; {@code scratch} holds the seed files while they are made. */
  static List<FuzzTarget> all(Path scratch) throws IOException {
    return List.of(checkpoint(scratch), idxImages(), idxLabels(), latencyTable(), config(), exportedNetwork(scratch));
  }

  /** Checkpoints: the header (re-encoded with its new length, or not), the tensor data, or any byte. */
  static FuzzTarget checkpoint(Path scratch) throws IOException {
    SlimModel m = SPEC.build(new SplittableRandom(3));
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("train.mode", "sbn");
    meta.put("data.option", "sample");
    meta.put("data.val", "100");
    meta.put("data.seed", "1995");
    meta.put("data.mean", "[0.28593817]");
    meta.put("data.std", "[0.35550553]");
    meta.put("train.epochs", "3");
    Path f = Files.createDirectories(scratch).resolve("seed.safetensors");
    Checkpoint.save(f, SPEC, m, null, meta);
    byte[] seed = Files.readAllBytes(f);
    return new FuzzTarget("checkpoint", "checkpoint.safetensors", List.of(seed), Targets::mutateSafetensors,
        (file, dir) -> {
          Checkpoint.Loaded l = Checkpoint.load(file);
          RunRecord.of(l, file);
          for (Parameter p : l.model().parameters()) {
            for (float v : p.tensor().toArray()) {
              assertThat(Float.isFinite(v), "a loaded weight of " + p.name() + " is " + v);
            }
          }
          for (SlimBatchNorm bn : l.model().batchNorms()) {
            bn.buffers().forEach((name, v) -> {
              for (float x : v) {
                assertThat(Float.isFinite(x) && (!name.endsWith("running_var") || x >= 0), name + " holds " + x);
              }
            });
          }
        }, List.of(IOException.class, IllegalArgumentException.class));
  }

  private static byte[] mutateSafetensors(Mutator m, byte[] in) {
    int n = (int) ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    byte[] header = java.util.Arrays.copyOfRange(in, 8, 8 + n);
    byte[] data = java.util.Arrays.copyOfRange(in, 8 + n, in.length);
    return switch (m.choice(4)) {
      case 0, 1 -> { // the header, re-encoded with its true length
        byte[] h = m.mutate(header, true);
        ByteBuffer out = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        yield out.putLong(h.length).put(h).put(data).array();
      }
      case 2 -> m.mutateFloats(in, 8 + n, in.length);
      default -> m.mutate(in, false);
    };
  }

  /** IDX image files, raw and gzipped. */
  static FuzzTarget idxImages() throws IOException {
    byte[] raw = idx(0x00000803, new int[] {3, 4, 4}, 48);
    return new FuzzTarget("idx-images", "images.idx", List.of(raw, gzip(raw)), (m, in) -> m.mutate(in, false),
        (file, dir) -> {
          IdxReader.Images im = IdxReader.readImages(file);
          assertThat(im.pixels().length == (long) im.count() * im.rows() * im.cols(), "pixels disagree with the shape");
        }, List.of(DatasetException.class));
  }

  /** IDX label files, raw and gzipped, labels in [0, 10). */
  static FuzzTarget idxLabels() throws IOException {
    byte[] raw = idx(0x00000801, new int[] {5}, 5);
    return new FuzzTarget("idx-labels", "labels.idx", List.of(raw, gzip(raw)), (m, in) -> m.mutate(in, false),
        (file, dir) -> {
          for (int l : IdxReader.readLabels(file, 10)) {
            assertThat(l >= 0 && l < 10, "label " + l + " outside [0, 10)");
          }
        }, List.of(DatasetException.class));
  }

  private static byte[] idx(int magic, int[] dims, int values) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + values).order(ByteOrder.BIG_ENDIAN);
    b.putInt(magic);
    for (int d : dims) {
      b.putInt(d);
    }
    for (int i = 0; i < values; i++) {
      b.put((byte) (i * 37 % (magic == 0x00000801 ? 10 : 256)));
    }
    return b.array();
  }

  private static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(raw);
    }
    return out.toByteArray();
  }

  /** Latency tables as the profiler writes them. */
  static FuzzTarget latencyTable() {
    Provenance prov = new Provenance("box", "25", "Eclipse Adoptium", "Some CPU", "Linux", "vector", 2, 8, "wall",
        "2026-01-01T00:00:00Z", "abc123", "fuzz seed");
    Map<LayerSignature, LatencyGrid> m = new LinkedHashMap<>();
    m.put(new LayerSignature(LayerKind.CONV, 3, 1, 8, true, false, Activation.RELU, false, 0),
        new LatencyGrid(new int[] {2, 4, 8}, new int[] {4, 8}, new double[][] {{1.0, 2.0}, {2.0, 4.0}, {4.0, 8.5}}));
    m.put(new LayerSignature(LayerKind.LINEAR, 1, 1, 1, false, true, Activation.NONE, false, 4),
        new LatencyGrid(new int[] {4, 8}, new int[] {10}, new double[][] {{0.125}, {0.25}}));
    byte[] seed = LatencyTableFile.toJson(new LatencyTable(prov, m, 1.25, 0.0625)).getBytes(StandardCharsets.UTF_8);
    return new FuzzTarget("latency-table", "table.json", List.of(seed), (mu, in) -> mu.mutate(in, true),
        (file, dir) -> {
          LatencyTable t = LatencyTableFile.read(file);
          assertThat(t.fixedMs() >= 0 && t.scale() > 0, "fixed " + t.fixedMs() + ", scale " + t.scale());
          for (LatencyGrid g : t.entries().values()) {
            for (int c : new int[] {1, 3, 1000, Integer.MAX_VALUE}) {
              double v = g.at(c, c);
              assertThat(Double.isFinite(v) && v >= 0, "a predicted time of " + v + " ms at " + c);
            }
          }
        }, List.of(IllegalArgumentException.class));
  }

  /** Channel configurations: bare arrays, {"config": ...} and search results, read for a smallcnn. */
  static FuzzTarget config() {
    List<byte[]> seeds = List.of("[2, 4, 8]".getBytes(StandardCharsets.UTF_8),
        "{\"config\": [3, 5, 7]}".getBytes(StandardCharsets.UTF_8),
        ("{\"method\": \"ows\", \"model\": {\"model.architecture\": \"smallcnn\", \"model.max_width\": \"0.5\","
            + " \"model.in_channels\": \"1\", \"model.input_size\": \"12\", \"model.classes\": \"10\"},"
            + " \"results\": [{\"label\": \"a\", \"config\": [2, 4, 8], \"score\": 0.5}]}").getBytes(StandardCharsets.UTF_8));
    SlimModel model = SPEC.build(new SplittableRandom(1));
    return new FuzzTarget("config", "config.json", seeds, (m, in) -> m.mutate(in, true), (file, dir) -> {
      ChannelConfig c = ConfigFiles.read(file, SPEC);
      for (int v : c.toArray()) {
        assertThat(v >= 1, "channel count " + v);
      }
      try {
        model.space().validate(c);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": " + e.getMessage(), e); // the commands add the file likewise
      }
    }, List.of(IllegalArgumentException.class));
  }

  /** Exported networks: {@code model.json} mutated next to its unchanged {@code model.safetensors}. */
  static FuzzTarget exportedNetwork(Path scratch) throws IOException {
    ModelSpec spec = new ModelSpec("smallcnn", 0.5, 1, 12, 10, BnKind.SHARED, new double[] {0.5});
    SlimModel m = spec.build(new SplittableRandom(5));
    Path dir = Files.createDirectories(scratch.resolve("exported"));
    ExportFiles.write(dir, Exporter.export(m, m.space().max(), 1, 12, new float[][] {{0.25f}, {0.5f}}, Map.of()));
    byte[] json = Files.readAllBytes(dir.resolve("model.json"));
    byte[] tensors = Files.readAllBytes(dir.resolve("model.safetensors"));
    return new FuzzTarget("model-json", "model.json", List.of(json), (mu, in) -> mu.mutate(in, true), (file, d) -> {
      Files.write(d.resolve("model.safetensors"), tensors);
      try (ExportedPredictor p = Predictor.exported(d, new ScalarKernels())) {
        int[] s = p.inputShape();
        float[] logits = p.predict(Tensor.zeros(1, s[0], s[1], s[2])).logits();
        for (float v : logits) {
          assertThat(Float.isFinite(v), "a logit of the loaded network is " + v);
        }
      }
    }, List.of(IOException.class, IllegalArgumentException.class));
  }

  private static void assertThat(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError(what);
    }
  }
}
