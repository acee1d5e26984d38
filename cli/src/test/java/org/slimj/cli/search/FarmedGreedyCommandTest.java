package org.slimj.cli.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slimj.cli.CliRun.run;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.cli.CliRun;
import org.slimj.cli.LoopbackWorkers;

/**
 * {@code search greedy --workers ... --rank R} (issue 12, farmed-out search): two workers in this JVM
 * on loopback split each step's candidates and find exactly the single-machine result; only rank 0
 * writes it.
 */
class FarmedGreedyCommandTest {
  @Test
  void twoWorkersFindTheSingleMachineResult(@TempDir Path dir) throws Exception {
    Path runDir = dir.resolve("run");
    CliRun t = run("train", "--model", "smallcnn", "--mode", "nonuniform", "--widths", "0.3,1.0", "--data", "sample",
        "--limit-train", "128", "--val", "200", "--epochs", "1", "--batch", "32", "--out", runDir.toString(),
        "--no-progress", "--threads", "1", "--seed", "5");
    assertEquals(0, t.code(), t.err() + t.out());
    String ckpt = runDir.resolve("checkpoint.safetensors").toString();
    String[] common = {"search", "greedy", "--checkpoint", ckpt, "--cost", "macs", "--targets", "0.75,0.5,0.25",
        "--batch", "100", "--threads", "1", "--no-progress"};
    Path single = dir.resolve("single.json");
    CliRun s = run(concat(common, "--out", single.toString()));
    assertEquals(0, s.code(), s.err());

    List<CliRun> runs = LoopbackWorkers.run(2, "slimj-greedy-test", 180, r -> concat(common, "--out",
        dir.resolve("farmed" + r + ".json").toString(), "--heartbeat-timeout", "5", "--join-timeout", "60"));
    assertEquals(0, runs.get(0).code(), runs.get(0).err() + runs.get(0).out());
    assertEquals(0, runs.get(1).code(), runs.get(1).err() + runs.get(1).out());
    assertTrue(runs.get(1).out().contains("rank 0 writes"), runs.get(1).out());
    assertFalse(Files.exists(dir.resolve("farmed1.json")), "only rank 0 writes the result");
    JsonObject a = JsonParser.parseString(Files.readString(single)).getAsJsonObject();
    JsonObject b = JsonParser.parseString(Files.readString(dir.resolve("farmed0.json"))).getAsJsonObject();
    assertEquals(a.get("results"), b.get("results"), "the farmed search finds the single-machine configurations");
    assertEquals(a.get("trajectory"), b.get("trajectory"), "and takes the same path with the same errors");
    assertEquals(a.getAsJsonObject("settings").get("evaluations"), b.getAsJsonObject("settings").get("evaluations"));
    assertEquals(2, b.getAsJsonObject("settings").get("workers").getAsInt());
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
