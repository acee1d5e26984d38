package org.slimj.cli.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.slimj.cli.CliRun.run;
import static org.slimj.cli.hostile.Rejection.assertRejected;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.cli.CliRun;
import org.slimj.engine.export.ExportedLayer;
import org.slimj.engine.export.NetworkSpec;
import org.slimj.engine.graph.OpKind;
import org.slimj.engine.io.SafetensorsWriter;
import org.slimj.engine.space.Activation;
import org.slimj.engine.tensor.Tensor;

/**
 * Hostile files other than checkpoints: an exported network whose description passes every field
 * check but would need gigabytes, configurations and latency tables with duplicate keys, a search
 * result of another model, a latency table with a negative fixed term. Each gives one line and a
 * non-zero exit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileFilesTest {
  private static final String[] SMALL = {"--model", "smallcnn", "--max-width", "0.5", "--input", "12"};

  private Path dir;
  private Path ckpt;
  private Path table;

  private static String[] concat(String[]... parts) {
    return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
  }

  @BeforeAll
  void trainAndProfileOnce(@TempDir Path temp) {
    dir = temp;
    Path runDir = dir.resolve("run");
    CliRun t = run("train", "--model", "smallcnn", "--mode", "nonuniform", "--data", "sample", "--limit-train", "96",
        "--val", "100", "--epochs", "1", "--batch", "32", "--out", runDir.toString(), "--no-progress", "--threads", "2",
        "--seed", "5");
    assertEquals(0, t.code(), t.err() + t.out());
    ckpt = runDir.resolve("checkpoint.safetensors");
    table = dir.resolve("table.json");
    CliRun p = run(concat(new String[] {"profile"}, SMALL, new String[] {"--warmup-ms", "0.2", "--iteration-ms", "0.2",
        "--iterations", "1", "--warmup-seconds", "0.05", "--backend", "scalar", "--threads", "1", "--grid", "2",
        "--calibration-configs", "1", "--out", table.toString()}));
    assertEquals(0, p.code(), p.err() + p.out());
  }

  /** 35 1x1 convolutions with padding 64 (each grows the image by 128 pixels a side), then pooling and a classifier. */
  private Path paddedTower() throws Exception {
    Path d = dir.resolve("tower");
    Files.createDirectories(d);
    List<ExportedLayer> layers = new ArrayList<>();
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (int i = 0; i < 35; i++) {
      layers.add(new ExportedLayer("c" + i, OpKind.CONV, i - 1, -2, 1, 1, 64, 1, 1, Activation.RELU, "c" + i + ".w",
          null));
      tensors.put("c" + i + ".w", Tensor.of(new float[] {1f}, 1, 1, 1, 1));
    }
    layers.add(new ExportedLayer("pool", OpKind.POOL, 34, -2, 0, 0, 0, 1, 1, Activation.NONE, null, null));
    layers.add(new ExportedLayer("fc", OpKind.LINEAR, 35, -2, 0, 0, 0, 1, 10, Activation.NONE, "fc.w", null));
    tensors.put("fc.w", Tensor.of(new float[10], 10, 1));
    NetworkSpec spec = new NetworkSpec(1, 28, 28, 10, null, null, layers, Map.of());
    Files.writeString(d.resolve("model.json"), spec.toJson());
    SafetensorsWriter.write(d.resolve("model.safetensors"), tensors, Map.of("slimj.format", "slimj-exported-network-1"));
    return d;
  }

  @Test
  void aNetworkThatWouldNeedGigabytesIsRefusedBeforeItRuns() throws Exception {
    Path tower = paddedTower();
    String[] fragments = {tower.resolve("model.json").toString(), "values per image", "expected at most 33554432"};
    assertRejected(run("predict", "--model", tower.toString(), "--count", "2", "--threads", "2"), "predict --model",
        fragments);
    assertRejected(run("bench", "exported", "--model", tower.toString(), "--checkpoint", ckpt.toString(), "--reps", "1",
        "--warmup", "0", "--threads", "2"), "bench exported", fragments);
  }

  @Test
  void configurationsWithDuplicateKeysAreRefused() throws Exception {
    Path cfg = dir.resolve("dup-config.json");
    Files.writeString(cfg, "{\"config\": [5, 19, 33], \"config\": [16, 32, 64]}");
    assertRejected(run("eval", "--checkpoint", ckpt.toString(), "--config", cfg.toString(), "--threads", "2"),
        "duplicate config key", cfg.toString(), "duplicate key \"config\"", "expected each key once");
    Path results = dir.resolve("dup-results.json");
    Files.writeString(results, "{\"results\": [{\"label\": \"a\", \"config\": [5, 19, 33], \"label\": \"b\"}]}");
    assertRejected(run("eval", "--checkpoint", ckpt.toString(), "--config", results + "#0", "--threads", "2"),
        "duplicate label in a search result", results.toString(), "duplicate key \"label\"", "$.results[0]");
  }

  @Test
  void aSearchResultOfAnotherModelIsRefused() throws Exception {
    Path other = dir.resolve("other.json");
    Files.writeString(other, "{\"method\": \"autoslim-greedy\", \"model\": {\"model.architecture\": \"resnet20\","
        + " \"model.max_width\": \"1.0\", \"model.in_channels\": \"1\", \"model.input_size\": \"28\","
        + " \"model.classes\": \"10\"}, \"results\": [{\"label\": \"a\", \"config\": [5, 19, 33]}]}");
    String[] fragments = {other.toString(), "made for another model", "model.architecture is resnet20",
        "expected smallcnn"};
    assertRejected(run("eval", "--checkpoint", ckpt.toString(), "--config", other + "#0", "--threads", "2"),
        "eval --config FILE#0", fragments);
    assertRejected(run("eval", "--checkpoint", ckpt.toString(), "--results", other.toString(), "--threads", "2"),
        "eval --results", fragments);
    assertRejected(run("export", "--checkpoint", ckpt.toString(), "--config", other + "#0", "--out",
        dir.resolve("x").toString(), "--threads", "2"), "export --config FILE#0", fragments);
    assertRejected(run("serve", "--checkpoint", ckpt.toString(), "--front", other.toString(), "--port", "0",
        "--threads", "2"), "serve --front", fragments);
  }

  @Test
  void latencyTablesWithDuplicateKeysAreRefused() throws Exception {
    Path dup = dir.resolve("dup-table.json");
    Files.writeString(dup, Files.readString(table).replaceFirst("\"scale\":", "\"scale\": 2.5, \"scale\":"));
    assertRejected(run(concat(new String[] {"info"}, SMALL, new String[] {"--latency-table", dup.toString()})),
        "duplicate scale", dup.toString(), "duplicate key \"scale\"");
  }

  @Test
  void aNegativeFixedTermIsRefused() throws Exception {
    Path neg = dir.resolve("negative.json");
    String text = Files.readString(table);
    String replaced = text.replaceFirst("\"fixed_ms\": *[-0-9.eE]+", "\"fixed_ms\": -5.0");
    assertEquals(false, replaced.equals(text), "the profiled table has a fixed_ms field: " + text);
    Files.writeString(neg, replaced);
    assertRejected(run(concat(new String[] {"info"}, SMALL, new String[] {"--width", "0.25", "--latency-table",
        neg.toString()})), "fixed_ms -5", neg.toString(), "fixed_ms", "a finite number >= 0", "-5.0");
  }
}
