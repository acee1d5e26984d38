package org.slimj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slimj.cli.CliRun.run;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train and eval end to end on a slice of the embedded sample. */
class TrainEvalCommandTest {
  @Test
  void trainThenEvalReportsEveryWidth(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("run");
    CliRun t = run("train", "--model", "smallcnn", "--mode", "us", "--data", "sample", "--limit-train", "256", "--val", "200",
        "--epochs", "1", "--batch", "32", "--out", out.toString(), "--no-progress", "--threads", "2", "--seed", "3");
    assertEquals(0, t.code(), t.err() + t.out());
    assertTrue(t.out().contains("embedded sample"), "says which data it uses: " + t.out());
    assertTrue(Files.exists(out.resolve("checkpoint.safetensors")));
    String metrics = Files.readString(out.resolve("metrics.jsonl"));
    assertEquals(1, metrics.strip().lines().count(), metrics);
    JsonObject row = JsonParser.parseString(metrics.strip()).getAsJsonObject();
    assertEquals(1, row.get("epoch").getAsInt());
    assertTrue(row.getAsJsonObject("val_accuracy").has("w0.25"), metrics);

    CliRun e = run("eval", "--checkpoint", out.resolve("checkpoint.safetensors").toString(), "--widths", "0.25,0.5,1.0",
        "--json", "--calibrate-batches", "2", "--batch", "64");
    assertEquals(0, e.code(), e.err());
    var results = JsonParser.parseString(e.out().strip()).getAsJsonObject().getAsJsonArray("results");
    assertEquals(3, results.size());
    long prevMacs = 0;
    for (var r : results) {
      JsonObject x = r.getAsJsonObject();
      double acc = x.get("accuracy").getAsDouble();
      assertTrue(acc >= 0 && acc <= 1, "accuracy as a fraction: " + x);
      assertTrue(x.get("macs").getAsLong() > prevMacs, "MACs grow with width: " + results);
      prevMacs = x.get("macs").getAsLong();
      assertTrue(x.get("params").getAsLong() > 0);
      assertTrue(x.getAsJsonArray("config").size() == 3);
    }

    CliRun again = run("train", "--model", "smallcnn", "--mode", "us", "--data", "sample", "--limit-train", "256", "--val",
        "200", "--epochs", "1", "--batch", "32", "--out", out.toString(), "--no-progress", "--threads", "2", "--seed", "3",
        "--resume");
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("already complete"), again.out());
    CliRun clash = run("train", "--model", "smallcnn", "--mode", "us", "--data", "sample", "--limit-train", "256", "--val",
        "200", "--epochs", "1", "--batch", "32", "--out", out.toString(), "--no-progress", "--seed", "4", "--resume");
    assertNotEquals(0, clash.code());
    assertTrue(clash.err().contains("train.seed"), clash.err());
    CliRun fresh = run("train", "--model", "smallcnn", "--mode", "us", "--data", "sample", "--out", out.toString());
    assertNotEquals(0, fresh.code(), "a new run never overwrites an existing checkpoint");
    assertTrue(fresh.err().contains("--resume"), fresh.err());
  }

  @Test
  void badArgumentsAndFilesFailWithOneLine(@TempDir Path dir) throws Exception {
    CliRun m = run("train", "--model", "smallcnn", "--mode", "fast", "--data", "sample");
    assertNotEquals(0, m.code());
    assertTrue(m.err().contains("'fast'"), m.err());
    CliRun w = run("train", "--model", "smallcnn", "--mode", "us", "--data", "sample", "--width-range", "1:0.2");
    assertNotEquals(0, w.code());
    assertTrue(w.err().contains("--width-range"), w.err());
    CliRun nd = run("train", "--model", "smallcnn", "--mode", "sbn", "--data", "sample", "--no-distill");
    assertNotEquals(0, nd.code(), "--no-distill where there is no distillation is refused, not ignored");
    assertTrue(nd.err().contains("--no-distill") && nd.err().contains("sbn"), nd.err());
    Path bogus = dir.resolve("bogus.safetensors");
    Files.write(bogus, new byte[] {1, 2, 3});
    CliRun e = run("eval", "--checkpoint", bogus.toString());
    assertNotEquals(0, e.code());
    assertTrue(e.err().contains(bogus.toString()), e.err());
    CliRun d = run("train", "--model", "smallcnn", "--mode", "us", "--data", dir.resolve("nowhere").toString());
    assertNotEquals(0, d.code());
    assertTrue(d.err().contains("nowhere"), d.err());
  }

  @Test
  void evalOfANetworkTrainedAloneUsesItsOwnConfiguration(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("cfg.json");
    Files.writeString(cfg, "[5, 11, 23]");
    Path out = dir.resolve("single");
    CliRun t = run("train", "--model", "smallcnn", "--mode", "single", "--config", cfg.toString(), "--data", "sample",
        "--limit-train", "128", "--val", "100", "--epochs", "1", "--batch", "32", "--out", out.toString(), "--no-progress",
        "--threads", "1", "--seed", "5");
    assertEquals(0, t.code(), t.err() + t.out());
    CliRun e = run("eval", "--checkpoint", out.resolve("checkpoint.safetensors").toString(), "--json", "--batch", "64");
    assertEquals(0, e.code(), e.err());
    var results = JsonParser.parseString(e.out().strip()).getAsJsonObject().getAsJsonArray("results");
    assertEquals(1, results.size(), results.toString());
    assertEquals("[5,11,23]", results.get(0).getAsJsonObject().getAsJsonArray("config").toString());
  }
}
