package org.slimj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slimj.cli.CliRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.engine.ForkedJvm;
import org.slimj.engine.io.Checkpoint;

/**
 * Issue 12: a data-parallel worker killed mid-run (SIGKILL, two worker JVMs on loopback) fails the job
 * with one clear error naming the lost rank within a bounded time, and rank 0's last checkpoint
 * stays valid: one worker resumes it to the end.
 */
class DataParallelKillTest {
  private static final int EPOCHS = 12;

  private static List<String> trainArgs(Path out, String... more) {
    List<String> a = new ArrayList<>(List.of("train", "--model", "smallcnn", "--mode", "us", "--data", "sample",
        "--limit-train", "128", "--val", "32", "--epochs", Integer.toString(EPOCHS), "--batch", "32", "--threads", "1",
        "--seed", "7", "--no-progress", "--calibrate-batches", "1", "--out", out.toString()));
    a.addAll(List.of(more));
    return a;
  }

  private static long lines(Path file) throws Exception {
    return Files.exists(file) ? Files.readString(file).lines().count() : 0;
  }

  @Test
  void aKilledWorkerFailsTheJobAndTheCheckpointResumes(@TempDir Path dir) throws Exception {
    String workers = LoopbackWorkers.addresses(2);
    Path out = dir.resolve("run");
    List<ForkedJvm> ranks = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      ranks.add(ForkedJvm.start(List.of("-Xmx1g"), Main.class, trainArgs(r == 0 ? out : dir.resolve("rank1"),
          "--workers", workers, "--rank", Integer.toString(r), "--cluster-name", "slimj-kill-test",
          "--heartbeat-timeout", "10", "--join-timeout", "120")));
    }
    Path metrics = out.resolve("metrics.jsonl");
    long deadline = System.nanoTime() + 240_000_000_000L;
    while (lines(metrics) < 2 && ranks.get(0).process().isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    if (!ranks.get(0).process().isAlive()) {
      ranks.get(1).process().destroyForcibly().waitFor();
      throw new AssertionError("rank 0 ended before the kill: " + ranks.get(0).waitFor(5).output());
    }
    ranks.get(1).process().destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no goodbye to the cluster
    ranks.get(1).waitFor(1);
    long killedAt = System.nanoTime();
    ForkedJvm.Result r0 = ranks.get(0).waitFor(60);
    double seconds = (System.nanoTime() - killedAt) / 1e9;
    assertTrue(r0.ended(), "rank 0 must fail within 60 s of losing rank 1; output: " + r0.output());
    assertNotEquals(0, r0.code(), "rank 0 must fail, not finish: " + r0.output());
    assertTrue(r0.output().contains("rank 1"), "the error names the lost rank: " + r0.output());
    assertTrue(!r0.output().contains("\tat org.slimj"), "one clear error, no stack trace: " + r0.output());
    System.out.printf("DataParallelKillTest: rank 0 failed %.1f s after rank 1 was killed%n", seconds);

    Checkpoint.Loaded c = Checkpoint.load(out.resolve("checkpoint.safetensors"));
    int next = Integer.parseInt(c.metadata().get("train.next_epoch"));
    assertTrue(next >= 1 && next < EPOCHS, "the last checkpoint is of a finished epoch: next epoch " + next);
    CliRun resumed = run(trainArgs(out, "--resume").toArray(String[]::new));
    assertEquals(0, resumed.code(), resumed.err() + resumed.out());
    assertTrue(resumed.out().contains("resuming"), resumed.out());
    assertEquals(Integer.toString(EPOCHS),
        Checkpoint.load(out.resolve("checkpoint.safetensors")).metadata().get("train.next_epoch"));
  }
}
