package org.slimj.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slimj.cli.CliRun.run;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.engine.ForkedJvm;
import org.slimj.engine.io.Checkpoint;
import org.slimj.engine.nn.Parameter;

/**
 * Crash safety of {@code ./slimj train}: a training JVM killed with SIGKILL at random moments (and
 * resumed each time) ends with the weights of an uninterrupted run, a {@code metrics.jsonl} of
 * exactly one line per epoch, and no temporary files. The moments that matter most are also made
 * exactly: the kill between the checkpoint's rename and the metrics write, and the kill during the
 * first checkpoint write.
 */
class KillAnywhereTest {
  private static final int EPOCHS = 6;
  private static final long SEED = 20261208L;

  private static List<String> trainArgs(Path out, boolean resume) {
    List<String> a = new ArrayList<>(List.of("train", "--model", "smallcnn", "--mode", "us", "--data", "sample",
        "--limit-train", "128", "--val", "32", "--epochs", Integer.toString(EPOCHS), "--batch", "32", "--threads", "2",
        "--seed", "5", "--no-progress", "--calibrate-batches", "1", "--out", out.toString()));
    if (resume) {
      a.add("--resume");
    }
    return a;
  }

  private static List<String> metricLines(Path dir) throws Exception {
    Path m = dir.resolve("metrics.jsonl");
    return Files.exists(m) ? Files.readAllLines(m) : List.of();
  }

  private static List<String> temporaryFiles(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp-")).toList();
    }
  }

  private static void assertOneLinePerEpoch(Path dir, int epochs, String what) throws Exception {
    List<String> lines = metricLines(dir);
    assertEquals(epochs, lines.size(), what + ": " + lines);
    for (int i = 0; i < lines.size(); i++) {
      assertEquals(i + 1, JsonParser.parseString(lines.get(i)).getAsJsonObject().get("epoch").getAsInt(), what);
    }
  }

  private static int checkpointEpoch(Path dir) throws Exception {
    Path c = dir.resolve("checkpoint.safetensors");
    return Files.exists(c) ? Integer.parseInt(Checkpoint.load(c).metadata().get("train.next_epoch")) : 0;
  }

  @Test
  void killedAtRandomMomentsAndResumedEndsAsTheUninterruptedRun(@TempDir Path dir) throws Exception {
    SplittableRandom rng = new SplittableRandom(SEED);
    Path killed = dir.resolve("killed");
    List<String> story = new ArrayList<>();
    for (int trial = 0; trial < 5 && checkpointEpoch(killed) < EPOCHS; trial++) {
      boolean resume = Files.exists(killed.resolve("checkpoint.safetensors"));
      ForkedJvm child = ForkedJvm.start(List.of("-Xmx512m"), Main.class, trainArgs(killed, resume));
      int before = checkpointEpoch(killed);
      int wait = before + rng.nextInt(2); // epochs to wait for (0: kill during start-up or the first epoch)
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (metricLines(killed).size() < wait && child.process().isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(2);
      }
      long delay = rng.nextLong(wait == before ? 2500 : 400); // then a random moment of the next epoch
      Thread.sleep(delay);
      child.process().destroyForcibly().waitFor();
      child.waitFor(10);
      int at = checkpointEpoch(killed);
      int lines = metricLines(killed).size();
      story.add("trial " + trial + ": killed " + delay + " ms after " + wait + " epochs, at checkpoint epoch " + at + ", " + lines + " lines");
      assertTrue(lines == at || lines == at - 1, "seed " + SEED + ": metrics.jsonl is at most the checkpoint's epoch"
          + " and at most one line behind: " + story);
    }
    System.out.println("KillAnywhereTest seed " + SEED + ": " + story);
    boolean resume = Files.exists(killed.resolve("checkpoint.safetensors"));
    CliRun last = run(trainArgs(killed, resume).toArray(String[]::new));
    assertEquals(0, last.code(), "seed " + SEED + " " + story + ": " + last.err() + last.out());
    assertOneLinePerEpoch(killed, EPOCHS, "seed " + SEED + " " + story);
    assertEquals(List.of(), temporaryFiles(killed), "seed " + SEED + " " + story);

    Path straight = dir.resolve("straight");
    CliRun s = run(trainArgs(straight, false).toArray(String[]::new));
    assertEquals(0, s.code(), s.err());
    List<Parameter> a = Checkpoint.load(straight.resolve("checkpoint.safetensors")).model().parameters();
    List<Parameter> b = Checkpoint.load(killed.resolve("checkpoint.safetensors")).model().parameters();
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i).tensor().toArray(), b.get(i).tensor().toArray(),
          "seed " + SEED + " " + story + ": parameter " + a.get(i).name());
    }
  }

  @Test
  void aKillBetweenTheCheckpointAndTheMetricsLosesNoLine(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("run");
    List<String> two = new ArrayList<>(trainArgs(out, false));
    two.set(two.indexOf("--epochs") + 1, "2");
    assertEquals(0, run(two.toArray(String[]::new)).code());
    List<String> lines = metricLines(out);
    Files.write(out.resolve("metrics.jsonl"), lines.subList(0, 1)); // the state a kill after the rename leaves
    two.add("--resume");
    CliRun r = run(two.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("already complete"), r.out());
    assertEquals(lines, metricLines(out), "the second epoch's line is restored from the checkpoint");
  }

  @Test
  void aKillDuringTheFirstWriteLeavesNothingThatLasts(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("run");
    Files.createDirectories(out);
    Files.createFile(out.resolve("checkpoint.safetensors.tmp-3c1d")); // 0 bytes: killed right after creating it
    Files.writeString(out.resolve("metrics.jsonl.tmp-9"), "{\"epoch\": 1, \"st");
    List<String> one = new ArrayList<>(trainArgs(out, false));
    one.set(one.indexOf("--epochs") + 1, "1");
    CliRun r = run(one.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of(), temporaryFiles(out));
    assertOneLinePerEpoch(out, 1, "a fresh run after the kill");
  }
}
