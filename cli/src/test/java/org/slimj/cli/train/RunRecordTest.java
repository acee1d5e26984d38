package org.slimj.cli.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slimj.engine.io.Checkpoint;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.train.TrainingMode;

/** The run record: every entry a checkpoint's metadata records about its run, read and checked once. */
class RunRecordTest {
  private static final ModelSpec SPEC = new ModelSpec("smallcnn", 0.5, 1, 12, 10, BnKind.UNIVERSAL,
      new double[] {0.25, 0.5});
  private static final Path FILE = Path.of("runs/x/checkpoint.safetensors");

  private static Map<String, String> trained() {
    Map<String, String> m = new LinkedHashMap<>(SPEC.toMetadata());
    m.put("train.mode", "nonuniform");
    m.put("train.groups", "10");
    m.put("train.width_range", "[0.25, 1.0]");
    m.put("train.single", "");
    m.put("data.option", "sample");
    m.put("data.val", "100");
    m.put("data.seed", "1995");
    m.put("data.mean", "[0.28593817]");
    m.put("data.std", "[0.35550553]");
    return m;
  }

  private static RunRecord of(Map<String, String> m) {
    return RunRecord.of(new Checkpoint.Loaded(SPEC, SPEC.build(new SplittableRandom(1)), m), FILE);
  }

  @Test
  void aTrainedRunReadsBackTyped() {
    RunRecord r = of(trained());
    assertEquals(TrainingMode.NONUNIFORM, r.mode());
    assertEquals(100, r.heldOut());
    assertEquals(1995L, r.dataSeed());
    assertArrayEquals(new float[] {0.35550553f}, r.normalization()[1]);
    assertArrayEquals(new double[] {0.25, 1.0}, r.widthRange());
    assertEquals(3, r.trainedMinGroup(10), "0.25 of 10 groups: group 3 is the smallest drawn");
    assertEquals(1, r.trainedMinGroup(8), "another number of groups: no knowledge");
    assertNull(r.single());
  }

  @Test
  void theVersionIsCheckedAndANewerOneRefused() {
    Map<String, String> m = trained();
    m.put(RunRecord.VERSION_KEY, Integer.toString(RunRecord.VERSION));
    assertEquals(TrainingMode.NONUNIFORM, of(m).mode());
    m.put(RunRecord.VERSION_KEY, Integer.toString(RunRecord.VERSION + 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> of(m));
    assertTrue(e.getMessage().contains(FILE.toString()) && e.getMessage().contains("newer slimj"), e.getMessage());
    m.put(RunRecord.VERSION_KEY, "one");
    assertThrows(IllegalArgumentException.class, () -> of(m));
  }

  @Test
  void aCheckpointWithoutRunEntriesHasNone() {
    RunRecord r = of(new LinkedHashMap<>(SPEC.toMetadata()));
    assertNull(r.mode());
    assertNull(r.normalization());
    assertEquals(0, r.heldOut());
    assertTrue(assertThrows(IllegalArgumentException.class, r::requireMode).getMessage().contains(FILE.toString()));
  }

  @Test
  void everyMalformedEntryIsNamedWithTheFile() {
    String[][] cases = {{"train.mode", "fast"}, {"train.groups", "0"}, {"train.width_range", "[1.0, 0.25]"},
      {"train.width_range", "[0.5]"}, {"train.single", "[5, 0, 3]"}, {"train.single", "[5.5, 3]"},
      {"data.val", "0"}, {"data.mean", "[]"}, {"data.std", "[Infinity]"}, {"train.joslim_lower", "1.5"}};
    for (String[] c : cases) {
      Map<String, String> m = trained();
      m.put(c[0], c[1]);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> of(m), c[0] + " = " + c[1]);
      assertTrue(e.getMessage().startsWith(FILE + ": ") && e.getMessage().contains(c[0].substring(c[0].indexOf('.') + 1)),
          c[0] + " = " + c[1] + ": " + e.getMessage());
    }
    Map<String, String> alone = trained();
    alone.remove("data.seed");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> of(alone)).getMessage().contains("data.val only"));
  }

  @Test
  void aSingleRunsConfigurationIsWholeCounts() {
    Map<String, String> m = trained();
    m.put("train.mode", "single");
    m.put("train.single", "[5, 19, 33]");
    assertEquals(ChannelConfig.of(5, 19, 33), of(m).single());
  }
}
