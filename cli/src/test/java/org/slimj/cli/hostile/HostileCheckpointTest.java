package org.slimj.cli.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.slimj.cli.CliRun.run;
import static org.slimj.cli.hostile.Rejection.assertRejected;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.cli.CliRun;

/**
 * Checkpoints whose structure is valid but whose values or metadata are not: every command that
 * opens one (eval, predict, search greedy, export, train --resume) refuses it with one line naming
 * the file, the tensor or key, and what was expected and found.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileCheckpointTest {
  private Path dir;
  private Path run;
  private Path ckpt;

  private String[] trainArgs(Path out, String... more) {
    String[] base = {"train", "--model", "smallcnn", "--mode", "nonuniform", "--data", "sample", "--limit-train", "96",
        "--val", "100", "--epochs", "1", "--batch", "32", "--out", out.toString(), "--no-progress", "--threads", "2",
        "--seed", "5"};
    java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(base));
    for (int i = 0; i < more.length; i++) {
      int at = all.indexOf(more[i]);
      boolean valued = i + 1 < more.length && !more[i + 1].startsWith("--");
      if (at >= 0 && valued) {
        all.set(at + 1, more[++i]);
      } else {
        all.add(more[i]);
        if (valued) {
          all.add(more[++i]);
        }
      }
    }
    return all.toArray(String[]::new);
  }

  @BeforeAll
  void trainOnce(@TempDir Path temp) {
    dir = temp;
    run = dir.resolve("run");
    CliRun t = run(trainArgs(run));
    assertEquals(0, t.code(), t.err() + t.out());
    ckpt = run.resolve("checkpoint.safetensors");
  }

  /** Every command that reads a checkpoint, on {@code file}. */
  private void assertEveryReaderRefuses(Path file, String what, String... fragments) {
    String f = file.toString();
    assertRejected(run("eval", "--checkpoint", f, "--threads", "2"), what + " (eval)", fragments);
    assertRejected(run("predict", "--checkpoint", f, "--count", "4", "--threads", "2"), what + " (predict)", fragments);
    assertRejected(run("search", "greedy", "--checkpoint", f, "--cost", "macs", "--targets", "0.5", "--batch", "50",
        "--threads", "2", "--out", dir.resolve("g.json").toString()), what + " (search greedy)", fragments);
    assertRejected(run("export", "--checkpoint", f, "--width", "1.0", "--out", dir.resolve("x").toString(), "--threads",
        "2"), what + " (export)", fragments);
  }

  @Test
  void nanWeightIsRefused() throws Exception {
    Path bad = Tamper.copy(ckpt, dir.resolve("nan.safetensors"), Tamper.sameMetadata(),
        Tamper.set("stem.conv.weight", 3, Float.NaN));
    assertEveryReaderRefuses(bad, "NaN weight", bad.toString(), "'stem.conv.weight'", "element 3 is NaN",
        "expected a finite number");
  }

  @Test
  void infiniteWeightIsRefused() throws Exception {
    Path bad = Tamper.copy(ckpt, dir.resolve("inf.safetensors"), Tamper.sameMetadata(),
        Tamper.set("classifier.bias", 0, Float.NEGATIVE_INFINITY));
    assertEveryReaderRefuses(bad, "infinite bias", bad.toString(), "'classifier.bias'", "-Infinity", "finite");
  }

  @Test
  void negativeRunningVarianceIsRefused() throws Exception {
    Path bad = Tamper.copy(ckpt, dir.resolve("var.safetensors"), Tamper.sameMetadata(),
        Tamper.set("dw.bn.running_var", 2, -0.5f));
    assertEveryReaderRefuses(bad, "negative variance", bad.toString(), "'dw.bn.running_var'", "element 2 is -0.5",
        "expected a finite variance >= 0");
  }

  /** A copy of the run directory whose checkpoint is tampered with, for train --resume. */
  private Path tamperedRun(String name, java.util.function.Consumer<java.util.Map<String, String>> meta,
      java.util.function.Consumer<java.util.Map<String, org.slimj.engine.tensor.Tensor>> tensors) throws Exception {
    Path d = dir.resolve(name);
    Files.createDirectories(d);
    Tamper.copy(ckpt, d.resolve("checkpoint.safetensors"), meta, tensors);
    return d;
  }

  @Test
  void resumeRefusesAnOverflowingStep() throws Exception {
    Path d = tamperedRun("step", m -> m.put("train.step", Long.toString(Long.MAX_VALUE)), Tamper.sameTensors());
    assertRejected(run(trainArgs(d, "--resume")), "train.step 2^63-1", d.resolve("checkpoint.safetensors").toString(),
        "train.step", "expected a whole number in [0, 3]", "found " + Long.MAX_VALUE);
  }

  @Test
  void resumeRefusesAStepThatDisagreesWithTheEpoch() throws Exception {
    Path d = tamperedRun("step2", m -> m.put("train.step", "2"), Tamper.sameTensors());
    assertRejected(run(trainArgs(d, "--resume")), "train.step 2 at epoch 1", "train.step", "expected 3", "found 2");
  }

  @Test
  void resumeRefusesANonNumericEpoch() throws Exception {
    Path d = tamperedRun("epoch", m -> m.put("train.next_epoch", "1e9"), Tamper.sameTensors());
    assertRejected(run(trainArgs(d, "--resume")), "train.next_epoch 1e9", "train.next_epoch", "expected a whole number",
        "found '1e9'");
  }

  @Test
  void resumeRefusesANanMomentum() throws Exception {
    Path d = tamperedRun("momentum", Tamper.sameMetadata(), Tamper.set("optimizer.momentum.pw.conv.weight", 0, Float.NaN));
    assertRejected(run(trainArgs(d, "--resume")), "NaN momentum", "'optimizer.momentum.pw.conv.weight'", "finite");
  }

  @Test
  void hugeEpochCountsAreRefusedBeforeTheyOverflow() {
    Path d = dir.resolve("epochs");
    String[] args = trainArgs(d);
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--epochs")) {
        args[i + 1] = Integer.toString(Integer.MAX_VALUE);
      }
    }
    assertRejected(run(args), "--epochs 2^31-1", "--epochs 2147483647", "expected at most", "found 2147483647");
  }

  @Test
  void inconsistentNormalizationIsRefused() throws Exception {
    String[][] cases = {{"data.std", "[0.0]", "data.std"}, {"data.std", "[NaN]", "data.std"},
      {"data.mean", "[0.1, 0.2]", "data.mean"}, {"data.mean", "0.1", "data.mean"}, {"data.std", "[-1.0]", "data.std"}};
    int k = 0;
    for (String[] c : cases) {
      Path bad = Tamper.copy(ckpt, dir.resolve("norm" + k++ + ".safetensors"), m -> m.put(c[0], c[1]),
          Tamper.sameTensors());
      assertRejected(run("eval", "--checkpoint", bad.toString(), "--threads", "2"), c[0] + " = " + c[1] + " (eval)",
          bad.toString(), c[2], c[1]);
      assertRejected(run("predict", "--checkpoint", bad.toString(), "--count", "2", "--threads", "2"),
          c[0] + " = " + c[1] + " (predict)", bad.toString(), c[2], c[1]);
    }
  }

  @Test
  void malformedHoldOutIsRefused() throws Exception {
    String[][] cases = {{"data.val", "abc"}, {"data.val", "-4"}, {"data.seed", "1.5"}, {"data.val", "99999999999"}};
    int k = 0;
    for (String[] c : cases) {
      Path bad = Tamper.copy(ckpt, dir.resolve("holdout" + k++ + ".safetensors"), m -> m.put(c[0], c[1]),
          Tamper.sameTensors());
      assertRejected(run("search", "greedy", "--checkpoint", bad.toString(), "--cost", "macs", "--targets", "0.5",
          "--batch", "50", "--threads", "2", "--out", dir.resolve("g.json").toString()), c[0] + " = " + c[1],
          bad.toString(), c[0], c[1]);
      assertRejected(run("eval", "--checkpoint", bad.toString(), "--split", "val", "--threads", "2"),
          c[0] + " = " + c[1] + " (eval --split val)", bad.toString(), c[0], c[1]);
    }
  }

  @Test
  void nonFiniteTrainingOptionsAreRefused() {
    String[][] cases = {{"--momentum", "NaN", "momentum"}, {"--weight-decay", "Infinity", "weight decay"},
      {"--lr", "NaN", "--lr > 0"}, {"--warmup", "NaN", "--warmup"}, {"--batch", "2147483647", "found 2147483647"}};
    int k = 0;
    for (String[] c : cases) {
      assertRejected(run(trainArgs(dir.resolve("opt" + k++), c[0], c[1])), c[0] + " " + c[1], c[2]);
    }
  }

  /** Found by the fuzzer: model metadata that cannot be built used to fail without naming the file. */
  @Test
  void unbuildableModelMetadataIsRefusedNamingTheFile() throws Exception {
    String[][] cases = {{"model.width_list", "[]", "model.width_list entries"}, {"model.max_width", "1e6", "found 1000000.0"},
      {"model.classes", "2147483647", "model.classes"}, {"model.architecture", "resnet2000000", "depth"}};
    int k = 0;
    for (String[] c : cases) {
      Path bad = Tamper.copy(ckpt, dir.resolve("spec" + k++ + ".safetensors"), m -> m.put(c[0], c[1]),
          Tamper.sameTensors());
      assertRejected(run("eval", "--checkpoint", bad.toString(), "--threads", "2"), c[0] + " = " + c[1],
          bad.toString(), c[2]);
    }
  }
}
