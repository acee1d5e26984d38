package org.slimj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slimj.cli.CliRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --workers ... --rank R}: two workers in this JVM on loopback, and the refused combinations. */
class DataParallelTrainCommandTest {
  private static String twoLoopbackWorkers() throws Exception {
    return LoopbackWorkers.addresses(2);
  }

  @Test
  void twoWorkersTrainAndOnlyRankZeroWrites(@TempDir Path dir) throws Exception {
    String workers = twoLoopbackWorkers();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<CliRun>> runs = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        String[] args = {"train", "--model", "smallcnn", "--mode", "us", "--data", "sample", "--limit-train", "128",
            "--val", "64", "--epochs", "1", "--batch", "16", "--out", dir.resolve("rank" + r).toString(), "--no-progress",
            "--threads", "1", "--seed", "3", "--workers", workers, "--rank", Integer.toString(r), "--cluster-name",
            "slimj-cli-test", "--heartbeat-timeout", "5", "--join-timeout", "60"};
        runs.add(pool.submit(() -> run(args)));
      }
      CliRun r0 = runs.get(0).get(120, TimeUnit.SECONDS);
      CliRun r1 = runs.get(1).get(120, TimeUnit.SECONDS);
      assertEquals(0, r0.code(), r0.err() + r0.out());
      assertEquals(0, r1.code(), r1.err() + r1.out());
      assertTrue(r0.out().contains("rank 0 of 2") && r0.out().contains("epoch 1/1"), r0.out());
      assertFalse(r1.out().contains("epoch 1/1"), "rank 1 neither validates nor reports epochs: " + r1.out());
      assertFalse(r1.out().contains("checkpoint: "), "rank 1 names no checkpoint it did not write: " + r1.out());
      assertTrue(r0.out().contains("checkpoint: "), r0.out());
      assertTrue(Files.exists(dir.resolve("rank0/checkpoint.safetensors")));
      assertTrue(Files.exists(dir.resolve("rank0/metrics.jsonl")));
      assertFalse(Files.exists(dir.resolve("rank1/checkpoint.safetensors")), "only rank 0 writes checkpoints");
      assertFalse(Files.exists(dir.resolve("rank1/metrics.jsonl")), "only rank 0 writes metrics");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void allReduceBenchRunsOnEveryRank() throws Exception {
    String workers = twoLoopbackWorkers();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<CliRun>> runs = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        String[] args = {"bench", "allreduce", "--workers", workers, "--rank", Integer.toString(r), "--mb", "0.01",
            "--warmup", "1", "--reps", "2", "--json", "--cluster-name", "slimj-cli-bench"};
        runs.add(pool.submit(() -> run(args)));
      }
      for (int r = 0; r < 2; r++) {
        CliRun c = runs.get(r).get(120, TimeUnit.SECONDS);
        assertEquals(0, c.code(), c.err() + c.out());
        var row = com.google.gson.JsonParser.parseString(c.out().strip()).getAsJsonObject();
        assertEquals(2, row.get("workers").getAsInt());
        assertEquals(r, row.get("rank").getAsInt());
        assertTrue(row.get("median_ms").getAsDouble() > 0, c.out());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void refusedCombinationsSayWhy(@TempDir Path dir) throws Exception {
    String out = dir.resolve("r").toString();
    String workers = twoLoopbackWorkers();
    CliRun ows = run("train", "--model", "smallcnn", "--mode", "ows", "--data", "sample", "--limit-train", "64", "--val",
        "32", "--batch", "16", "--out", out, "--workers", workers, "--rank", "0");
    assertNotEquals(0, ows.code());
    assertTrue(ows.err().contains("mode ows") && ows.err().contains("drift apart"), ows.err());
    CliRun noRank = run("train", "--model", "smallcnn", "--mode", "us", "--data", "sample", "--limit-train", "64", "--val",
        "32", "--batch", "16", "--out", dir.resolve("a").toString(), "--workers", workers);
    assertNotEquals(0, noRank.code());
    assertTrue(noRank.err().contains("--rank"), noRank.err());
    CliRun range = run("train", "--model", "smallcnn", "--mode", "us", "--data", "sample", "--limit-train", "64", "--val",
        "32", "--batch", "16", "--out", dir.resolve("b").toString(), "--workers", "127.0.0.1:5701-5703", "--rank", "0");
    assertNotEquals(0, range.code());
    assertTrue(range.err().contains("port range"), range.err());
  }
}
