package org.slimj.engine.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.export.ExportFiles;
import org.slimj.engine.export.ExportFixtures;
import org.slimj.engine.export.Exporter;
import org.slimj.engine.kernels.Backends;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.MobileNetV2;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.models.SmallCnn;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.tensor.Tensor;
import org.slimj.engine.train.Batch;
import org.slimj.engine.train.Calibrator;

/** The inference API: results, per-configuration batch norm, thread safety and steady-state memory. */
class PredictorTest {
  private static final Kernels K = Backends.choose("vector", 2).kernels();
  private static final double[] LIST = {0.25, 0.5, 0.75, 1.0};

  @TempDir Path dir;

  /** One request: images and (slimmable) configuration. */
  private record Request(Tensor images, ChannelConfig cfg) {}

  private static List<Request> requests(SlimModel model, int count, long seed, boolean anyConfig) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Request> r = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ChannelConfig cfg = anyConfig ? model.uniform(LIST[rng.nextInt(LIST.length)]) : null;
      r.add(new Request(ExportFixtures.images(1 + rng.nextInt(3), 3, 16, rng), cfg));
    }
    return r;
  }

  private static float[][] sequential(Predictor p, List<Request> rs) {
    float[][] out = new float[rs.size()][];
    for (int i = 0; i < rs.size(); i++) {
      out[i] = p.predict(rs.get(i).images(), rs.get(i).cfg()).logits();
    }
    return out;
  }

  private static void assertConcurrentEqualsSequential(Predictor p, List<Request> rs, String what) throws Exception {
    float[][] expected = sequential(p, rs);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[][]>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int shift = t;
        Callable<float[][]> job = () -> {
          float[][] got = new float[rs.size()][];
          for (int j = 0; j < rs.size(); j++) {
            int i = (j + shift * 5) % rs.size();
            got[i] = p.predict(rs.get(i).images(), rs.get(i).cfg()).logits();
          }
          return got;
        };
        fs.add(pool.submit(job));
      }
      for (int t = 0; t < fs.size(); t++) {
        float[][] got = fs.get(t).get();
        for (int i = 0; i < rs.size(); i++) {
          assertArrayEquals(expected[i], got[i], what + ": thread " + t + ", request " + i);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentPredictionsEqualSequentialOnes() throws Exception {
    SplittableRandom rng = new SplittableRandom(31);
    MobileNetV2 model = new MobileNetV2(0.5, 3, 16, 10, BnKind.UNIVERSAL, new double[] {0.5}, rng);
    ExportFixtures.randomizeBatchNorm(model, rng);
    List<Batch> cal = ExportFixtures.batches(2, 4, 3, 16, rng);
    SlimPredictor slim = new SlimPredictor(model, 3, 16, K, null, cfg -> cal);
    double[] half = {0.125, 0.25, 0.375, 0.5};
    List<Request> rs = new ArrayList<>();
    for (Request r : requests(model, 20, 32, false)) {
      rs.add(new Request(r.images(), model.uniform(half[rs.size() % half.length])));
    }
    assertConcurrentEqualsSequential(slim, rs, "slimmable MobileNetV2 at several widths (seed 32)");

    ChannelConfig cfg = slim.prepare(model.uniform(0.375));
    ExportFiles.write(dir, Exporter.export(model, cfg, 3, 16, null, Map.of()));
    ExportedPredictor exported = Predictor.exported(dir, K);
    List<Request> ers = new ArrayList<>();
    for (Request r : requests(model, 20, 33, false)) {
      ers.add(new Request(r.images(), null));
    }
    assertConcurrentEqualsSequential(exported, ers, "exported MobileNetV2 (seed 33)");
  }

  @Test
  void universalConfigurationsAreCalibratedOnceOnFirstUse() {
    SplittableRandom rng = new SplittableRandom(34);
    SmallCnn model = new SmallCnn(3, 16, 10, new int[] {8, 12, 16}, BnKind.UNIVERSAL, LIST, rng);
    ExportFixtures.randomizeBatchNorm(model, rng);
    List<Batch> cal = ExportFixtures.batches(3, 4, 3, 16, rng);
    int[] calls = new int[1];
    SlimPredictor p = new SlimPredictor(model, 3, 16, K, null, c -> {
      calls[0]++;
      return cal;
    });
    Tensor x = ExportFixtures.images(2, 3, 16, rng);
    ChannelConfig cfg = ChannelConfig.of(3, 7, 11);
    float[] first = p.predict(x, cfg).logits();
    float[] again = p.predict(x, cfg).logits();
    assertEquals(1, calls[0], "calibrated once");
    assertArrayEquals(first, again);
    SmallCnn copy = new SmallCnn(3, 16, 10, new int[] {8, 12, 16}, BnKind.UNIVERSAL, LIST, new SplittableRandom(34));
    // the same weights, calibrated by hand
    for (int i = 0; i < model.parameters().size(); i++) {
      float[] src = model.parameters().get(i).tensor().data();
      System.arraycopy(src, 0, copy.parameters().get(i).tensor().data(), 0, src.length);
    }
    Calibrator.calibrate(copy, K, cfg, cal);
    assertArrayEquals(copy.forward(Context.inference(K), x, cfg).toArray(), first, "as a manual calibration");
  }

  @Test
  void switchableModelsResolveWidthsAndRejectOthers() {
    SplittableRandom rng = new SplittableRandom(35);
    SmallCnn model = new SmallCnn(3, 16, 10, new int[] {8, 12, 16}, BnKind.SWITCHABLE, LIST, rng);
    SlimPredictor p = new SlimPredictor(model, 3, 16, K, null, null);
    Tensor x = ExportFixtures.images(1, 3, 16, rng);
    assertEquals(2, p.configAt(0.75).switchIndex());
    assertArrayEquals(p.predict(x, 0.5).logits(), p.predict(x, ChannelConfig.of(model.uniform(0.5).toArray()))
        .logits(), "a width-list configuration without its switch index is matched");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.predict(x, 0.6));
    assertTrue(e.getMessage().contains("0.6") && e.getMessage().contains("width list"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> p.configAt(1.5));
    assertTrue(e.getMessage().contains("(0, 1.0]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> p.predict(ExportFixtures.images(1, 3, 12, rng), 0.5));
    assertTrue(e.getMessage().contains("[N, 3, 16, 16]") && e.getMessage().contains("[1, 3, 12, 12]"),
        e.getMessage());
  }

  @Test
  void exportedPredictorsRunOnlyAtTheirConfigurationAndReuseScratchMemory() throws Exception {
    SplittableRandom rng = new SplittableRandom(36);
    SmallCnn model = new SmallCnn(3, 16, 10, new int[] {8, 12, 16}, BnKind.SHARED, LIST, rng);
    ExportFiles.write(dir, Exporter.export(model, model.uniform(0.5), 3, 16, null, Map.of()));
    ExportedPredictor p = Predictor.exported(dir, K);
    assertEquals(model.uniform(0.5), p.defaultConfig());
    Tensor x = ExportFixtures.images(2, 3, 16, rng);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> p.predict(x, model.uniform(1.0)));
    assertTrue(e.getMessage().contains("exported at"), e.getMessage());
    for (int i = 0; i < 3; i++) {
      p.predict(x);
    }
    long warm = p.scratchFloats();
    for (int i = 0; i < 10; i++) {
      p.predict(x);
    }
    assertEquals(warm, p.scratchFloats(), "no new scratch memory once warm");
    assertTrue(warm > 0, "the arena served the activations");
  }

  @Test
  void predictionsGiveProbabilitiesAndTopK() {
    Prediction p = new Prediction(2, 4, new float[] {1f, 3f, 2f, 3f, -1f, -2f, 5f, 0f});
    assertArrayEquals(new int[] {1, 3, 2}, p.topK(0, 3), "ties: lower index first");
    assertArrayEquals(new int[] {2, 3, 0, 1}, p.topK(1, 4));
    assertEquals(2, p.argmax(1));
    float[] pr = p.probabilities(0);
    double sum = 0;
    for (float v : pr) {
      sum += v;
    }
    assertEquals(1.0, sum, 1e-6);
    assertEquals(Math.exp(1) / (Math.exp(1) + 2 * Math.exp(3) + Math.exp(2)), pr[0], 1e-6);
    assertThrows(IllegalArgumentException.class, () -> p.topK(0, 5));
    assertThrows(IllegalArgumentException.class, () -> p.logits(2));
  }

  @Test
  void checkpointsLoadWithTheirNormalization() throws Exception {
    SplittableRandom rng = new SplittableRandom(37);
    org.slimj.engine.models.ModelSpec spec =
        new org.slimj.engine.models.ModelSpec("smallcnn", 0.5, 3, 16, 10, BnKind.SHARED, new double[] {1.0});
    SlimModel model = spec.build(rng);
    ExportFixtures.randomizeBatchNorm(model, rng);
    Path file = dir.resolve("checkpoint.safetensors");
    org.slimj.engine.io.Checkpoint.save(file, spec, model, null,
        Map.of("data.mean", "[0.1, 0.2, 0.3]", "data.std", "[0.5, 0.5, 0.25]"));
    SlimPredictor p = Predictor.checkpoint(file, K, null);
    assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f}, p.normalization()[0]);
    assertArrayEquals(new int[] {3, 16, 16}, p.inputShape());
    Tensor x = ExportFixtures.images(2, 3, 16, rng);
    assertArrayEquals(model.forward(Context.inference(K), x, model.uniform(1.0)).toArray(), p.predict(x).logits());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SlimPredictor.normalizationOf(Map.of("data.mean", "[0.1, x]", "data.std", "[1, 1]"), "f"));
    assertTrue(e.getMessage().contains("data.mean"), e.getMessage());
  }
}
