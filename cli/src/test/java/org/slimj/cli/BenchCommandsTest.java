package org.slimj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slimj.cli.CliRun.run;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code bench train}, {@code bench infer}, {@code bench jmh} and {@code bench jmh-layers}: JSON shapes and argument errors. */
class BenchCommandsTest {
  @Test
  void trainPrintsImagesPerSecondAndMillisPerStep() {
    CliRun r = run("bench", "train", "--model", "mobilenetv2", "--mode", "us", "--batch", "2", "--input", "8",
        "--widths", "1.0,0.25,0.75,0.5", "--threads", "1", "--backend", "vector", "--warmup", "0", "--reps", "1", "--json");
    assertEquals(0, r.code(), r.err());
    JsonObject o = JsonParser.parseString(r.out().trim()).getAsJsonObject();
    assertEquals(Set.of("images_per_s", "ms_per_step"), o.keySet());
    double ms = o.get("ms_per_step").getAsDouble();
    assertTrue(ms > 0, r.out());
    assertEquals(2 / (ms * 1e-3), o.get("images_per_s").getAsDouble(), 0.02 * 2 / (ms * 1e-3) + 0.01);
  }

  @Test
  void inferPrintsOneResultPerWidthInOrder() {
    CliRun r = run("bench", "infer", "--model", "mobilenetv2", "--input", "8", "--widths", "0.35,0.5,0.75,1.0", "--batch", "1",
        "--threads", "1", "--warmup", "0", "--reps", "1", "--min-rep-seconds", "0", "--json");
    assertEquals(0, r.code(), r.err());
    JsonArray results = JsonParser.parseString(r.out().trim()).getAsJsonObject().getAsJsonArray("results");
    double[] widths = {0.35, 0.5, 0.75, 1.0};
    assertEquals(4, results.size());
    for (int i = 0; i < 4; i++) {
      JsonObject x = results.get(i).getAsJsonObject();
      assertEquals(Set.of("width", "median_ms"), x.keySet());
      assertEquals(widths[i], x.get("width").getAsDouble());
      assertTrue(x.get("median_ms").getAsDouble() > 0);
    }
  }

  @Test
  void readableTablesWithoutJson() {
    CliRun r = run("bench", "infer", "--input", "8", "--widths", "0.5", "--threads", "1", "--warmup", "0", "--reps", "1",
        "--min-rep-seconds", "0");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("median ms") && r.out().contains("0.500"), r.out());
  }

  @Test
  void badArgumentsFailWithAOneLineError() {
    List<String[]> bad = List.of(
        new String[] {"bench", "train", "--widths", "1.0,1.5", "--batch", "2", "--input", "8"},
        new String[] {"bench", "train", "--mode", "nonesuch", "--batch", "2", "--input", "8", "--reps", "1"},
        new String[] {"bench", "train", "--batch", "0"},
        new String[] {"bench", "train", "--reps", "0"},
        new String[] {"bench", "train", "--threads", "two"},
        new String[] {"bench", "infer", "--widths", "a,b"},
        new String[] {"bench", "infer", "--model", "nosuchnet", "--input", "8"},
        new String[] {"bench", "infer", "--batch", "0"},
        new String[] {"bench", "jmh", "-nosuchjmhoption"},
        new String[] {"bench", "jmh", "NoSuchBenchmarkAnywhere", "-f", "0"},
        new String[] {"bench", "jmh-layers", "/nonexistent/results.json"});
    String[] mentions = {"1.5", "nonesuch", "--batch", "--reps", "--threads", "'a,b'", "nosuchnet", "--batch",
        "not a recognized option", "NoSuchBenchmarkAnywhere", "/nonexistent/results.json"};
    for (int i = 0; i < bad.size(); i++) {
      CliRun r = run(bad.get(i));
      String what = String.join(" ", bad.get(i)) + " -> " + r.err();
      assertEquals(2, r.code(), what);
      assertTrue(r.err().contains(mentions[i]), what);
      assertEquals(1, r.err().strip().lines().count(), what);
    }
  }

  @Test
  void jmhListsTheBenchmarks() {
    assertEquals(0, run("bench", "jmh", "-l").code());
  }
}
