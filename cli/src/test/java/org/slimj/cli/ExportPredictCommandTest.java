package org.slimj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slimj.cli.CliRun.run;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export and predict end to end on a checkpoint trained briefly on a slice of the embedded sample. */
class ExportPredictCommandTest {
  private static JsonObject json(CliRun r) {
    String[] lines = r.out().strip().split("\n");
    return JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
  }

  @Test
  void exportedNetworksPredictAsTheirCheckpoint(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("run");
    CliRun t = run("train", "--model", "smallcnn", "--mode", "nonuniform", "--data", "sample", "--limit-train", "96",
        "--val", "100", "--epochs", "1", "--batch", "32", "--out", out.toString(), "--no-progress", "--threads", "2",
        "--seed", "5");
    assertEquals(0, t.code(), t.err() + t.out());
    String ckpt = out.resolve("checkpoint.safetensors").toString();
    Path config = dir.resolve("config.json");
    Files.writeString(config, "{\"config\": [5, 19, 33]}");
    Path full = dir.resolve("full.json");
    Files.writeString(full, "[16, 32, 64]");
    Path exported = dir.resolve("exported");

    CliRun e = run("export", "--checkpoint", ckpt, "--config", config.toString(), "--out", exported.toString(),
        "--calibrate-batches", "2", "--batch", "32", "--json", "--threads", "2");
    assertEquals(0, e.code(), e.err() + e.out());
    JsonObject ej = json(e);
    assertEquals("[5,19,33]", ej.get("config").toString());
    assertTrue(ej.get("check_max_abs_diff").getAsDouble() < 1e-4, ej.toString());
    assertTrue(Files.exists(exported.resolve("model.json")) && Files.exists(exported.resolve("model.safetensors")));

    CliRun pe = run("predict", "--model", exported.toString(), "--count", "12", "--top", "2", "--json", "--threads", "2");
    assertEquals(0, pe.code(), pe.err());
    CliRun ps = run("predict", "--checkpoint", ckpt, "--config", config.toString(), "--count", "12", "--top", "2",
        "--calibrate-batches", "2", "--batch", "32", "--json", "--threads", "2");
    assertEquals(0, ps.code(), ps.err());
    JsonArray a = json(pe).getAsJsonArray("results");
    JsonArray b = json(ps).getAsJsonArray("results");
    assertEquals(12, a.size());
    for (int i = 0; i < a.size(); i++) {
      JsonObject x = a.get(i).getAsJsonObject();
      JsonObject y = b.get(i).getAsJsonObject();
      assertEquals(x.get("label"), y.get("label"));
      JsonObject tx = x.getAsJsonArray("top").get(0).getAsJsonObject();
      JsonObject ty = y.getAsJsonArray("top").get(0).getAsJsonObject();
      assertEquals(tx.get("class"), ty.get("class"), "image " + i);
      assertEquals(tx.get("probability").getAsDouble(), ty.get("probability").getAsDouble(), 1e-4, "image " + i);
    }
    assertEquals(json(pe).get("accuracy").getAsDouble(), json(ps).get("accuracy").getAsDouble());

    CliRun width = run("predict", "--model", exported.toString(), "--width", "0.5");
    assertNotEquals(0, width.code());
    assertTrue(width.err().contains("exported at"), width.err());
    CliRun tooMany = run("export", "--checkpoint", ckpt, "--config", config.toString(), "--width", "0.5", "--out",
        exported.toString());
    assertNotEquals(0, tooMany.code(), "--config and --width exclude each other");
    CliRun tooWide = run("export", "--checkpoint", ckpt, "--config", full.toString(), "--out", dir.resolve("x").toString(),
        "--calibrate-batches", "1", "--batch", "8");
    assertEquals(0, tooWide.code(), tooWide.err());
    Files.writeString(exported.resolve("model.json"), Files.readString(exported.resolve("model.json"))
        .replace("\"cin\":19", "\"cin\":18"));
    CliRun broken = run("predict", "--model", exported.toString());
    assertNotEquals(0, broken.code());
    assertTrue(broken.err().contains("model.json") && broken.err().contains("cin"), broken.err());
  }
}
