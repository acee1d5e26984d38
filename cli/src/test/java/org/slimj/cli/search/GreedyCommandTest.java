package org.slimj.cli.search;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.cli.CliRun;

/** train a nonuniform supernet briefly, then search greedy end to end. */
class GreedyCommandTest {
  @Test
  void greedySearchWritesTheResultJsonWithTheTrajectory(@TempDir Path dir) throws Exception {
    Path runDir = dir.resolve("run");
    CliRun t = run("train", "--model", "smallcnn", "--mode", "nonuniform", "--widths", "0.3,1.0", "--data", "sample",
        "--limit-train", "128", "--val", "200", "--epochs", "1", "--batch", "32", "--out", runDir.toString(),
        "--no-progress", "--threads", "1", "--seed", "5");
    assertEquals(0, t.code(), t.err() + t.out());
    String ckpt = runDir.resolve("checkpoint.safetensors").toString();
    Path result = dir.resolve("greedy.json");
    CliRun g = run("search", "greedy", "--checkpoint", ckpt, "--cost", "macs", "--targets", "0.5,0.75,0.25", "--batch", "100",
        "--threads", "1", "--out", result.toString(), "--json");
    assertEquals(0, g.code(), g.err());
    assertTrue(g.err().contains("step 1/"), "progress lines on stderr: " + g.err());
    JsonObject printed = JsonParser.parseString(g.out()).getAsJsonObject();
    JsonObject root = JsonParser.parseString(Files.readString(result)).getAsJsonObject();
    assertEquals(root, printed, "--json prints what was written");
    assertTrue(Files.readString(result).contains("\"macs<=0.75x\""), "labels are written as they are, not HTML-escaped");
    assertEquals("autoslim-greedy", root.get("method").getAsString());
    JsonObject settings = root.getAsJsonObject("settings");
    assertEquals(3, settings.get("min_group").getAsInt(), "widths 0.3..1.0 in 10 groups: group 3 is the smallest trained");
    assertEquals(100, settings.get("search_batch").getAsInt());
    double max = settings.get("max_cost").getAsDouble();
    JsonArray results = root.getAsJsonArray("results");
    assertEquals(3, results.size(), g.out());
    double[] fractions = {0.75, 0.5, 0.25};
    int prevStep = -1;
    for (int i = 0; i < 3; i++) {
      JsonObject r = results.get(i).getAsJsonObject();
      assertEquals("macs<=" + (fractions[i] == 0.5 ? "0.5" : Double.toString(fractions[i])) + "x", r.get("label").getAsString());
      assertTrue(r.getAsJsonObject("costs").get("macs").getAsDouble() <= fractions[i] * max, r.toString());
      int step = r.getAsJsonObject("how").get("step").getAsInt();
      assertTrue(step > prevStep, "later targets are found later on the path");
      prevStep = step;
      assertEquals(3, r.getAsJsonArray("config").size());
    }
    JsonArray path = root.getAsJsonArray("trajectory");
    assertEquals(prevStep + 1, path.size(), "the path stops at the last target");
    double prevCost = Double.MAX_VALUE;
    for (JsonElement e : path) {
      double c = e.getAsJsonObject().get("cost").getAsDouble();
      assertTrue(c < prevCost, "MACs fall at every step");
      prevCost = c;
    }
    assertTrue(root.getAsJsonArray("unreached").isEmpty());

    CliRun both = run("search", "greedy", "--checkpoint", ckpt, "--targets", "0.5", "--targets-absolute", "1e5", "--out",
        dir.resolve("x.json").toString());
    assertNotEquals(0, both.code());
    assertTrue(both.err().contains("not both"), both.err());
    CliRun val = run("search", "greedy", "--checkpoint", ckpt, "--val", "300", "--out", dir.resolve("x.json").toString());
    assertNotEquals(0, val.code());
    assertTrue(val.err().contains("200"), val.err());
    CliRun ev = run("search", "greedy", "--checkpoint", ckpt, "--evaluator", "oracle", "--out", dir.resolve("x.json").toString());
    assertNotEquals(0, ev.code());
    assertTrue(ev.err().contains("'oracle'"), ev.err());
    assertTrue(!Files.exists(dir.resolve("x.json")), "failed searches write nothing");

    CliRun cal = run("search", "greedy", "--checkpoint", ckpt, "--evaluator", "calibrated", "--calibrate-batches", "1",
        "--targets-absolute", "1e9", "--batch", "64", "--threads", "1", "--no-progress", "--out", result.toString());
    assertEquals(0, cal.code(), cal.err());
    assertTrue(cal.out().contains("macs<=1000000000"), "a target above the max cost is met at once: " + cal.out());
  }
}
