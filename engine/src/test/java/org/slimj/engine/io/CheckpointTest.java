package org.slimj.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.engine.TestBackends;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.optim.LrSchedule;
import org.slimj.engine.optim.Sgd;
import org.slimj.engine.tensor.Tensor;
import org.slimj.engine.train.Batch;
import org.slimj.engine.train.BatchSource;
import org.slimj.engine.train.FixedWidthListStrategy;
import org.slimj.engine.train.SandwichStrategy;
import org.slimj.engine.train.Seeds;
import org.slimj.engine.train.TrainingRun;
import org.slimj.engine.train.TrainingStrategy;

/** Checkpoint round trip, exact resume, and clear errors for checkpoints that do not fit. */
class CheckpointTest {
  private static final double[] WIDTHS = {0.25, 0.5, 1.0};
  private final Kernels k = TestBackends.plain().toList().get(1);

  private static BatchSource data(long seed) {
    return new BatchSource() {
      @Override
      public Iterable<Batch> epoch(int epoch) {
        SplittableRandom r = Seeds.forStep(seed, 9, epoch);
        return () -> java.util.stream.IntStream.range(0, 3).mapToObj(i -> {
          Tensor x = Tensor.zeros(4, 1, 8, 8);
          TestBackends.randn(x, r);
          int[] y = new int[4];
          for (int j = 0; j < 4; j++) {
            y[j] = r.nextInt(3);
          }
          return new Batch(x, y);
        }).iterator();
      }

      @Override
      public int batchesPerEpoch() {
        return 3;
      }
    };
  }

  private static ModelSpec spec(BnKind bn) {
    return new ModelSpec("smallcnn", 0.5, 1, 8, 3, bn, WIDTHS);
  }

  private static TrainingStrategy strategy(BnKind bn) {
    return bn == BnKind.SWITCHABLE ? new FixedWidthListStrategy(0f, false) : new SandwichStrategy(0.25, 1.0, 3, 0.1f, true);
  }

  private static float[][] weights(SlimModel m) {
    return m.parameters().stream().map(p -> p.tensor().toArray()).toArray(float[][]::new);
  }

  @Test
  void resumeFromACheckpointContinuesExactlyAsTheUninterruptedRun(@TempDir Path dir) throws IOException {
    for (BnKind bn : List.of(BnKind.SWITCHABLE, BnKind.UNIVERSAL)) {
      long seed = 61;
      LrSchedule sched = new LrSchedule(0.05, 2, 6, LrSchedule.Shape.COSINE);
      SlimModel straight = spec(bn).build(new SplittableRandom(seed));
      Sgd o1 = new Sgd(straight.parameters(), 0.9, true, 1e-4);
      new TrainingRun(straight, k, strategy(bn), o1, sched, seed).run(data(seed), 0, 2, 0, new TrainingRun.Listener() {});

      SlimModel first = spec(bn).build(new SplittableRandom(seed));
      Sgd o2 = new Sgd(first.parameters(), 0.9, true, 1e-4);
      long next = new TrainingRun(first, k, strategy(bn), o2, sched, seed).run(data(seed), 0, 1, 0, new TrainingRun.Listener() {});
      Path ckpt = dir.resolve("ck-" + bn + ".safetensors");
      Checkpoint.save(ckpt, spec(bn), first, o2, Map.of("train.step", Long.toString(next)));

      Checkpoint.Loaded loaded = Checkpoint.load(ckpt);
      assertEquals(spec(bn), loaded.spec());
      assertEquals("3", loaded.metadata().get("train.step"));
      Sgd o3 = new Sgd(loaded.model().parameters(), 0.9, true, 1e-4);
      Checkpoint.loadOptimizer(ckpt, o3);
      new TrainingRun(loaded.model(), k, strategy(bn), o3, sched, seed)
          .run(data(seed), 1, 2, Long.parseLong(loaded.metadata().get("train.step")), new TrainingRun.Listener() {});
      float[][] a = weights(straight);
      float[][] b = weights(loaded.model());
      for (int i = 0; i < a.length; i++) {
        assertArrayEquals(a[i], b[i], 0f, bn + ": parameter " + straight.parameters().get(i).name()
            + " differs after resume (seed " + seed + ")");
      }
      for (int i = 0; i < straight.batchNorms().size(); i++) {
        var sa = straight.batchNorms().get(i).buffers();
        var sb = loaded.model().batchNorms().get(i).buffers();
        for (String key : sa.keySet()) {
          assertArrayEquals(sa.get(key), sb.get(key), 0f, bn + ": buffer " + key);
        }
      }
    }
  }

  @Test
  void loadedSwitchableModelPredictsLikeTheSavedOne(@TempDir Path dir) throws IOException {
    long seed = 62;
    SlimModel m = spec(BnKind.SWITCHABLE).build(new SplittableRandom(seed));
    new TrainingRun(m, k, strategy(BnKind.SWITCHABLE), new Sgd(m.parameters(), 0.9, false, 0),
        new LrSchedule(0.05, 0, 3, LrSchedule.Shape.CONSTANT), seed).run(data(seed), 0, 1, 0, new TrainingRun.Listener() {});
    Path f = dir.resolve("m.safetensors");
    Checkpoint.save(f, spec(BnKind.SWITCHABLE), m, null, Map.of());
    SlimModel back = Checkpoint.load(f).model();
    Tensor x = Tensor.zeros(2, 1, 8, 8);
    TestBackends.randn(x, new SplittableRandom(seed));
    for (int i = 0; i < WIDTHS.length; i++) {
      Tensor a = m.forward(Context.inference(k), x, m.switchConfig(i));
      Tensor b = back.forward(Context.inference(k), x, back.switchConfig(i));
      assertArrayEquals(a.toArray(), b.toArray(), 0f, "switch " + i);
    }
  }

  @Test
  void checkpointsThatDoNotFitFailClearly(@TempDir Path dir) throws IOException {
    SlimModel m = spec(BnKind.SHARED).build(new SplittableRandom(63));
    Path f = dir.resolve("x.safetensors");
    // not a slimj checkpoint
    SafetensorsWriter.write(f, Map.of("a", Tensor.zeros(2)), Map.of());
    var e1 = assertThrows(SafetensorsException.class, () -> Checkpoint.load(f));
    assertTrue(e1.getMessage().contains("not a slimj checkpoint"), e1.getMessage());
    // a tensor missing
    SafetensorsWriter w = new SafetensorsWriter();
    java.util.Map<String, String> meta = new java.util.LinkedHashMap<>(spec(BnKind.SHARED).toMetadata());
    meta.put(Checkpoint.FORMAT_KEY, Checkpoint.FORMAT);
    w.putMetadata(meta);
    List<Parameter> ps = m.parameters();
    for (int i = 1; i < ps.size(); i++) {
      w.add(ps.get(i).name(), ps.get(i).tensor());
    }
    w.write(f);
    var e2 = assertThrows(SafetensorsException.class, () -> Checkpoint.load(f));
    assertTrue(e2.getMessage().contains("'" + ps.get(0).name() + "'") && e2.getMessage().startsWith(f.toString()),
        e2.getMessage());
    // a shape that does not match the spec
    Checkpoint.save(f, spec(BnKind.SHARED), m, null, Map.of());
    java.util.Map<String, String> meta2 = new java.util.LinkedHashMap<>(meta);
    meta2.put("model.max_width", "1.0");
    Checkpoint.save(f, new ModelSpec("smallcnn", 0.5, 1, 8, 3, BnKind.SHARED, WIDTHS), m, null, Map.of());
    SafetensorsWriter w2 = new SafetensorsWriter();
    w2.putMetadata(meta2);
    for (Parameter p : ps) {
      w2.add(p.name(), p.tensor());
    }
    w2.write(f);
    var e3 = assertThrows(SafetensorsException.class, () -> Checkpoint.load(f));
    assertTrue(e3.getMessage().contains("expected shape"), e3.getMessage());
  }
}
