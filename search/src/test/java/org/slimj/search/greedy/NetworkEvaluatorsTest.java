package org.slimj.search.greedy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.example.SyntheticImages;
import org.slimj.engine.kernels.Backends;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.models.SmallCnn;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.nn.slim.SlimBatchNorm;
import org.slimj.engine.optim.Sgd;
import org.slimj.engine.train.Batch;
import org.slimj.engine.train.NonuniformStrategy;
import org.slimj.search.cost.MacsCost;
import org.slimj.search.cost.ParamsCost;
import org.slimj.search.io.FoundConfig;
import org.slimj.search.io.SearchResultFile;

/** Greedy slimming of a briefly trained SmallCnn supernet, end to end, with both network evaluators. */
class NetworkEvaluatorsTest {
  private final Kernels k = Backends.choose("scalar", 1).kernels();

  private SlimModel supernet(long seed, BnKind bn) {
    SlimModel m = new SmallCnn(1, 12, SyntheticImages.CLASSES, new int[] {8, 12, 16}, bn, new double[] {1.0},
        new SplittableRandom(seed));
    if (bn == BnKind.SWITCHABLE) {
      return m;
    }
    NonuniformStrategy s = new NonuniformStrategy(4, 0.25, 3, 0f, true);
    Sgd sgd = new Sgd(m.parameters(), 0.9, true, 1e-4);
    Tape tape = new Tape();
    SplittableRandom rng = new SplittableRandom(seed + 1);
    for (Batch b : SyntheticImages.generate(640, 12, 0.4, new SplittableRandom(seed + 2)).batches(32)) {
      sgd.zeroGrad();
      s.accumulate(m, k, tape, b.images(), b.labels(), rng);
      sgd.step(0.05);
    }
    return m;
  }

  private static Batch heldOut(long seed, int n) {
    return SyntheticImages.generate(n, 12, 0.4, new SplittableRandom(seed)).batches(n).get(0);
  }

  private static float[] snapshot(SlimModel m) {
    List<Float> all = new ArrayList<>();
    for (SlimBatchNorm bn : m.batchNorms()) {
      for (float[] b : bn.buffers().values()) {
        for (float v : b) {
          all.add(v);
        }
      }
    }
    float[] out = new float[all.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = all.get(i);
    }
    return out;
  }

  @Test
  void greedySearchOfATrainedSupernetRunsEndToEndAndItsJsonParsesBack(@TempDir Path dir) throws Exception {
    long seed = 7;
    SlimModel m = supernet(seed, BnKind.UNIVERSAL);
    Batch val = heldOut(seed + 100, 200);
    float[] before = snapshot(m);
    CachingEvaluator eval = new CachingEvaluator(new BatchStatisticsEvaluator(m, k, val));
    MacsCost macs = new MacsCost();
    double max = macs.cost(m.space(), m.space().max());
    List<GreedySlimming.Target> targets = List.of(
        GreedySlimming.Target.atMost("macs", 0.75 * max), GreedySlimming.Target.atMost("macs", 0.5 * max),
        GreedySlimming.Target.atMost("macs", 0.25 * max));
    GreedySlimming g = new GreedySlimming(m.space(), macs, targets, 4, 1, List.of(new ParamsCost()), "val_top1_error");
    List<Integer> steps = new ArrayList<>();
    GreedySlimming.Result r = g.run(eval, (s, maxSteps) -> steps.add(s.step()));
    String why = "seed " + seed;
    assertEquals(3, r.found().size(), why);
    assertTrue(r.unreached().isEmpty(), why);
    assertEquals(r.trajectory().size(), steps.size(), "the listener hears every step");
    assertArrayEquals(before, snapshot(m), "batch-statistics evaluation changes no stored statistics; " + why);
    for (GreedySlimming.Step s : r.trajectory()) {
      double wrong = s.error() * val.size();
      assertEquals(Math.rint(wrong), wrong, 1e-9, "a top-1 error on 200 images: " + s.error());
      assertTrue(s.error() >= 0 && s.error() <= 1);
    }
    ChannelConfig first = r.found().get(0).config();
    assertEquals(eval.error(first), new BatchStatisticsEvaluator(m, k, val).error(first), 0.0, "deterministic");

    Map<String, Object> doc = SearchResultFile.document("autoslim-greedy", Map.of("architecture", "smallcnn"),
        new LinkedHashMap<>(Map.of("groups", 4)), m.space(), r.found());
    Path file = dir.resolve("greedy.json");
    SearchResultFile.write(file, doc);
    JsonObject root = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    assertEquals("autoslim-greedy", root.get("method").getAsString());
    JsonArray results = root.getAsJsonArray("results");
    assertEquals(3, results.size());
    for (int i = 0; i < 3; i++) {
      FoundConfig f = r.found().get(i);
      JsonObject o = results.get(i).getAsJsonObject();
      assertEquals(f.label(), o.get("label").getAsString());
      int[] cfg = new int[o.getAsJsonArray("config").size()];
      int j = 0;
      for (JsonElement e : o.getAsJsonArray("config")) {
        cfg[j++] = e.getAsInt();
      }
      assertArrayEquals(f.config().toArray(), cfg);
      assertTrue(o.getAsJsonObject("costs").get("macs").getAsDouble() <= targets.get(i).budget());
      assertEquals(f.score(), o.get("score").getAsDouble(), 0.0);
    }
  }

  @Test
  void calibratedEvaluatorForgetsItsStatisticsAndMatchesAManualCalibration() {
    long seed = 11;
    SlimModel m = supernet(seed, BnKind.UNIVERSAL);
    List<Batch> cal = SyntheticImages.generate(96, 12, 0.4, new SplittableRandom(seed + 50)).batches(32);
    List<Batch> val = SyntheticImages.generate(100, 12, 0.4, new SplittableRandom(seed + 60)).batches(50);
    CalibratedEvaluator e = new CalibratedEvaluator(m, k, cal, val);
    ChannelConfig c = ChannelConfig.of(4, 9, 8);
    double err = e.error(c);
    for (SlimBatchNorm bn : m.batchNorms()) {
      assertFalse(bn.hasStatistics(c), bn.name() + " keeps no statistics after evaluation (seed " + seed + ")");
    }
    org.slimj.engine.train.Calibrator.calibrate(m, k, c, cal);
    var res = org.slimj.engine.train.Evaluator.evaluate(m, k, c, val);
    assertEquals(1 - res.accuracy(), err, 1e-12, "seed " + seed);
  }

  @Test
  void switchableBnAndHugeBatchesAreRefused() {
    SlimModel sw = supernet(3, BnKind.SWITCHABLE);
    Batch val = heldOut(4, 8);
    var e = assertThrows(IllegalArgumentException.class, () -> new BatchStatisticsEvaluator(sw, k, val));
    assertTrue(e.getMessage().contains("switchable"), e.getMessage());
    SlimModel m = new SmallCnn(1, 12, 4, new int[] {8, 12, 16}, BnKind.UNIVERSAL, new double[] {1.0},
        new SplittableRandom(5));
    long huge = Runtime.getRuntime().maxMemory();
    assertTrue(NetworkEvaluators.forwardBytes(m, huge) > huge / 2, "the estimate grows with the batch");
    assertEquals(Long.MAX_VALUE, NetworkEvaluators.forwardBytes(m, Long.MAX_VALUE / 2));
  }
}
