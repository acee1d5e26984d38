package org.slimj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slimj.cli.CliRun.run;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.engine.io.Checkpoint;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.search.joslim.JoslimHistory;

/** train --mode joslim and search joslim-front end to end on a slice of the embedded sample. */
class JoslimCommandsTest {
  private static String[] train(Path out, String... more) {
    return trainTau(out, "1", more);
  }

  private static String[] trainTau(Path out, String tau, String... more) {
    List<String> a = new ArrayList<>(List.of("train", "--model", "smallcnn", "--mode", "joslim", "--data", "sample",
        "--limit-train", "128", "--val", "100", "--epochs", "1", "--batch", "32", "--out", out.toString(), "--no-progress",
        "--threads", "2", "--seed", "5", "--tau", tau, "--warmup-proposals", "2"));
    a.addAll(List.of(more));
    return a.toArray(new String[0]);
  }

  @Test
  void trainKeepsTheHistoryAndTheFrontIsWritten(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("run");
    CliRun t = run(train(out));
    assertEquals(0, t.code(), t.err() + t.out());
    assertTrue(t.out().contains("mode joslim"), t.out());
    Path ckpt = out.resolve("checkpoint.safetensors");
    var meta = Checkpoint.load(ckpt).metadata();
    assertEquals("1", meta.get("train.joslim_tau"));
    JoslimHistory h = JoslimHistory.fromJson(meta.get(JoslimHistory.METADATA_KEY), ckpt.toString());
    assertEquals(4, h.nextStep(), "128 images in batches of 32");
    assertEquals(8, h.size(), "4 rounds (tau 1) of 2 proposals");
    assertEquals("full", h.get(2).origin());
    assertEquals("gp", h.get(7).origin());

    Path front = dir.resolve("front.json");
    CliRun f = run("search", "joslim-front", "--checkpoint", ckpt.toString(), "--out", front.toString(), "--json",
        "--calibrate-batches", "2", "--batch", "50");
    assertEquals(0, f.code(), f.err() + f.out());
    JsonObject doc = JsonParser.parseString(f.out()).getAsJsonObject();
    assertEquals(doc, JsonParser.parseString(Files.readString(front)), "printed and written JSON agree");
    assertEquals("joslim", doc.get("method").getAsString());
    JsonArray results = doc.getAsJsonArray("results");
    List<String> sources = new ArrayList<>();
    double prev = -1;
    int onFront = 0;
    for (JsonElement e : results) {
      JsonObject r = e.getAsJsonObject();
      sources.add(r.getAsJsonObject("how").get("source").getAsString());
      double ratio = r.getAsJsonObject("costs").get("macs_ratio").getAsDouble();
      assertTrue(ratio >= prev, "by increasing cost: " + results);
      prev = ratio;
      double acc = r.get("score").getAsDouble();
      assertTrue(acc >= 0 && acc <= 1);
      assertEquals("val_top1", r.get("score_name").getAsString());
      assertEquals(3, r.getAsJsonArray("config").size());
      onFront += r.getAsJsonObject("how").get("on_accuracy_front").getAsBoolean() ? 1 : 0;
    }
    assertTrue(sources.contains("max") || results.get(results.size() - 1).getAsJsonObject().getAsJsonObject("costs")
        .get("macs_ratio").getAsDouble() == 1.0, "the full configuration is a candidate: " + sources);
    assertTrue(onFront >= 1);

    CliRun again = run(train(out, "--resume"));
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("already complete"), again.out());
    CliRun clash = run(trainTau(out, "3", "--resume"));
    assertNotEquals(0, clash.code());
    assertTrue(clash.err().contains("train.joslim_tau"), clash.err());
  }

  @Test
  void badOptionsFailWithOneLine(@TempDir Path dir) throws Exception {
    CliRun r = run(train(dir.resolve("a"), "--width-range", "0.3:0.9"));
    assertNotEquals(0, r.code());
    assertTrue(r.err().contains("LOWER:1.0"), r.err());
    CliRun c = run(train(dir.resolve("b"), "--cost", "joules"));
    assertNotEquals(0, c.code());
    assertTrue(c.err().contains("joules"), c.err());
    ModelSpec spec = new ModelSpec("smallcnn", 1.0, 1, 28, 10, BnKind.UNIVERSAL, new double[] {1.0});
    Path us = dir.resolve("us.safetensors");
    Checkpoint.save(us, spec, spec.build(new SplittableRandom(1)), null, Map.of("train.mode", "us"));
    CliRun f = run("search", "joslim-front", "--checkpoint", us.toString(), "--out", dir.resolve("f.json").toString());
    assertNotEquals(0, f.code());
    assertTrue(f.err().contains("--mode joslim"), f.err());
    assertEquals(1, f.err().strip().lines().count(), f.err());
  }
}
