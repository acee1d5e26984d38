package org.slimj.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.cli.CliRun;

/** The main job end to end in its quick variant: every step runs and the report holds every platform. */
class DemoCommandTest {
  @Test
  void quickDemoWritesTheReportPlotsAndSearchResults(@TempDir Path dir) throws Exception {
    CliRun demo = CliRun.run("demo", "--quick", "--data", "sample", "--out", dir.toString());
    assertEquals(0, demo.code(), "demo failed; stderr:\n" + demo.err());
    String report = Files.readString(dir.resolve("report.md"));
    for (String p : new String[] {"scalar-1t", "vector-1t", "vector-2t"}) {
      assertTrue(report.contains("## Accuracy against latency on " + p), p + " missing from the report");
      assertTrue(Files.size(dir.resolve("plots").resolve("accuracy-vs-latency-" + p + ".svg")) > 1000, p);
      JsonObject ows = JsonParser.parseString(Files.readString(dir.resolve("search").resolve("ows-" + p + ".json")))
          .getAsJsonObject();
      ows.getAsJsonArray("results").forEach(r -> assertTrue(
          r.getAsJsonObject().getAsJsonObject("how").get("feasible").getAsBoolean(), "infeasible OWS result " + r));
    }
    assertTrue(Files.size(dir.resolve("plots").resolve("accuracy-vs-macs.svg")) > 1000);
    JsonObject greedy = JsonParser.parseString(Files.readString(dir.resolve("search").resolve("greedy.json")))
        .getAsJsonObject();
    // two MACs targets and two per platform, all met along one path
    assertEquals(2 + 3 * 2, greedy.getAsJsonArray("results").size(), greedy.getAsJsonArray("results").toString());
    assertTrue(report.contains("weighted_val_top1"), report);
    assertFalse(report.contains("NaN"), report);
    assertTrue(demo.out().contains("report: "), demo.out());
  }
}
