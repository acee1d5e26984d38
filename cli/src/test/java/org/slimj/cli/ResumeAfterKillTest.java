package org.slimj.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slimj.cli.CliRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.engine.ForkedJvm;
import org.slimj.engine.io.Checkpoint;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.Parameter;

/**
 * {@code ./slimj train} killed with SIGKILL after its first epoch, then continued with {@code
 * --resume}, ends with exactly the weights of a run that was never interrupted, on the default
 * backend. The killed run is a fresh JVM and the others run in this warm one, so the comparison
 * also shows that results do not depend on what the JIT had compiled.
 */
class ResumeAfterKillTest {
  private static final int EPOCHS = 8;

  private static List<String> trainArgs(Path out, String... more) {
    List<String> a = new ArrayList<>(List.of("train", "--model", "smallcnn", "--mode", "us",
        "--data", "sample", "--limit-train", "128", "--val", "32", "--epochs", Integer.toString(EPOCHS), "--batch",
        "32", "--threads", "2", "--seed", "5", "--no-progress", "--calibrate-batches", "1", "--out", out.toString()));
    a.addAll(List.of(more));
    return a;
  }

  private static long lines(Path file) throws Exception {
    return Files.exists(file) ? Files.readString(file).lines().count() : 0;
  }

  @Test
  void killedAfterAnEpochThenResumedEndsAsTheUninterruptedRun(@TempDir Path dir) throws Exception {
    Path killed = dir.resolve("killed");
    ForkedJvm child = ForkedJvm.start(List.of("-Xmx1g"), Main.class, trainArgs(killed));
    Path metrics = killed.resolve("metrics.jsonl");
    long deadline = System.nanoTime() + 240_000_000_000L;
    while (lines(metrics) < 1 && child.process().isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    child.process().destroyForcibly().waitFor(); // SIGKILL on Unix: no shutdown hooks, no flushing
    ForkedJvm.Result r = child.waitFor(10);
    long done = lines(metrics);
    assertTrue(done >= 1 && done < EPOCHS, "the child must be killed after epoch 1 and before the end; it wrote "
        + done + " epochs: " + r.output());

    CliRun resumed = run(trainArgs(killed, "--resume").toArray(String[]::new));
    assertEquals(0, resumed.code(), resumed.err() + resumed.out());
    assertTrue(resumed.out().contains("resuming"), resumed.out());
    Path straight = dir.resolve("straight");
    CliRun uninterrupted = run(trainArgs(straight).toArray(String[]::new));
    assertEquals(0, uninterrupted.code(), uninterrupted.err() + uninterrupted.out());

    Checkpoint.Loaded a = Checkpoint.load(straight.resolve("checkpoint.safetensors"));
    Checkpoint.Loaded b = Checkpoint.load(killed.resolve("checkpoint.safetensors"));
    assertEquals(Integer.toString(EPOCHS), b.metadata().get("train.next_epoch"));
    assertSameState(a.model(), b.model(), "killed after epoch " + done + " and resumed");
  }

  private static void assertSameState(SlimModel a, SlimModel b, String what) {
    List<Parameter> pa = a.parameters();
    List<Parameter> pb = b.parameters();
    assertEquals(pa.size(), pb.size());
    for (int i = 0; i < pa.size(); i++) {
      assertArrayEquals(bits(pa.get(i).tensor().toArray()), bits(pb.get(i).tensor().toArray()),
          what + ": parameter " + pa.get(i).name() + " differs from the uninterrupted run (seed 5)");
    }
    for (int i = 0; i < a.batchNorms().size(); i++) {
      Map<String, float[]> sa = a.batchNorms().get(i).buffers();
      Map<String, float[]> sb = b.batchNorms().get(i).buffers();
      for (String key : sa.keySet()) {
        assertArrayEquals(bits(sa.get(key)), bits(sb.get(key)), what + ": buffer " + key);
      }
    }
  }

  private static int[] bits(float[] v) {
    int[] b = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Float.floatToRawIntBits(v[i]);
    }
    return b;
  }
}
