package org.slimj.search.joslim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.engine.example.SyntheticImages;
import org.slimj.engine.io.Checkpoint;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.kernels.ScalarKernels;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.optim.LrSchedule;
import org.slimj.engine.optim.Sgd;
import org.slimj.engine.train.Batch;
import org.slimj.engine.train.BatchSource;
import org.slimj.engine.train.Calibrator;
import org.slimj.engine.train.Evaluator;
import org.slimj.engine.train.StepResult;
import org.slimj.engine.train.TrainingRun;
import org.slimj.search.cost.MacsCost;
import org.slimj.search.io.FoundConfig;
import org.slimj.search.io.SearchResultFile;

/** Joslim end to end on SmallCnn with synthetic images: rounds, sandwich configurations, history, resume, front. */
class JoslimStrategyTest {
  private static final long SEED = 17;
  private static final int STEPS_PER_EPOCH = 6;
  private static final ModelSpec SPEC = new ModelSpec("smallcnn", 0.5, 1, 12, SyntheticImages.CLASSES, BnKind.UNIVERSAL,
      new double[] {1.0});
  private static final JoslimStrategy.Settings SETTINGS = new JoslimStrategy.Settings(4, 2, 3, 0.42, 0.1f);
  private final Kernels k = new ScalarKernels();
  private final List<Batch> train = SyntheticImages.generate(STEPS_PER_EPOCH * 16, 12, 0.3, new SplittableRandom(SEED))
      .batches(16);
  private final List<Batch> validation = SyntheticImages.generate(64, 12, 0.3, new SplittableRandom(SEED + 1)).batches(32);

  private WidthProposer proposer(SlimModel m) {
    return new WidthProposer(new WidthEncoding(m.space(), SETTINGS.lowerWidth()), new CostRatio(new MacsCost(), m.space()),
        SETTINGS.warmupProposals(), new GpFitter(2, 100, 100), new AcquisitionOptimizer(200, 2, 60));
  }

  private JoslimStrategy strategy(SlimModel m, JoslimHistory h) {
    return new JoslimStrategy(proposer(m), SETTINGS, round -> validation.get((int) (round % validation.size())), h);
  }

  private BatchSource source() {
    return new BatchSource() {
      @Override
      public Iterable<Batch> epoch(int epoch) {
        return train;
      }

      @Override
      public int batchesPerEpoch() {
        return train.size();
      }
    };
  }

  private static Sgd sgd(SlimModel m) {
    return new Sgd(m.parameters(), 0.9, true, 1e-4);
  }

  private static final LrSchedule SCHEDULE = new LrSchedule(0.05, 2, 3 * STEPS_PER_EPOCH, LrSchedule.Shape.COSINE);

  @Test
  void roundsProposeWarmupFullThenSurrogatesAndTrainTheSandwich() {
    SlimModel m = SPEC.build(new SplittableRandom(SEED));
    JoslimHistory h = new JoslimHistory();
    JoslimStrategy s = strategy(m, h);
    List<StepResult> results = new ArrayList<>();
    new TrainingRun(m, k, s, sgd(m), SCHEDULE, SEED).run(source(), 0, 2, 0, new TrainingRun.Listener() {
      @Override
      public void step(int epoch, long step, double lr, Batch b, StepResult r) {
        results.add(r);
      }
    });
    assertEquals(12, results.size());
    assertEquals(12, h.nextStep());
    // rounds at steps 0, 4 and 8, two proposals each
    assertEquals(6, h.size(), "seed " + SEED + ": " + h.visits());
    List<String> origins = h.visits().stream().map(Visit::origin).toList();
    assertEquals(List.of("warmup", "warmup", "warmup", "full", "gp", "gp"), origins);
    assertArrayEquals(new int[] {4, 5}, h.current());
    for (int i = 0; i < 4; i++) {
      assertTrue(Double.isFinite(h.get(i).loss()), "visits before the last round are scored: " + h.get(i));
      assertEquals(i < 2 ? 0 : 4, h.get(i).step());
    }
    assertTrue(Double.isNaN(h.get(4).loss()), "the last round's proposals are not scored yet");
    for (int step = 0; step < 12; step++) {
      StepResult r = results.get(step);
      assertEquals(4, r.configs().size(), "max, two proposals, min");
      assertEquals(m.space().max(), r.configs().get(0));
      assertEquals(s.minConfig(), r.configs().get(3));
      int round = step / 4;
      WidthEncoding e = proposer(m).encoding();
      assertEquals(e.decode(h.get(2 * round).alpha()), r.configs().get(1), "step " + step);
      assertEquals(e.decode(h.get(2 * round + 1).alpha()), r.configs().get(2), "step " + step);
    }
    for (Visit v : h.visits()) {
      assertEquals(proposer(m).costOf(v.alpha()), v.cost(), 0);
      assertTrue(v.cost() > 0 && v.cost() <= 1);
    }
    JoslimHistory back = JoslimHistory.fromJson(h.toJson(), "test");
    assertEquals(h, back, "the history JSON parses back exactly");

    List<JoslimFront.Candidate> front = JoslimFront.candidates(h, proposer(m));
    assertTrue(front.stream().anyMatch(c -> c.config().equals(m.space().max())), "front holds the full configuration");
    assertTrue(front.stream().anyMatch(c -> c.config().equals(s.minConfig())), "front holds the minimum");
    for (int i = 1; i < front.size(); i++) {
      assertTrue(front.get(i).costRatio() >= front.get(i - 1).costRatio());
    }
    List<FoundConfig> found = new ArrayList<>();
    for (JoslimFront.Candidate c : front) {
      found.add(new FoundConfig("macs_ratio=" + c.costRatio(), c.config(), Map.of("macs", (double) m.space().macs(c.config())),
          0.5, "val_top1", Map.of("source", c.source())));
    }
    String json = SearchResultFile.toJson(SearchResultFile.document("joslim", Map.of(), Map.of(), m.space(), found));
    JsonObject doc = JsonParser.parseString(json).getAsJsonObject();
    assertEquals(front.size(), doc.getAsJsonArray("results").size());
    assertEquals(3, doc.getAsJsonArray("results").get(0).getAsJsonObject().getAsJsonArray("config").size());
  }

  @Test
  void heldOutScoringChangesNoStatisticsAndNoWeights() {
    SlimModel m = SPEC.build(new SplittableRandom(SEED));
    Map<String, float[]> before = new HashMap<>();
    m.batchNorms().forEach(bn -> bn.buffers().forEach((n, v) -> before.put(n, v.clone())));
    JoslimStrategy s = strategy(m, new JoslimHistory());
    double a = s.heldOutLoss(m, k, m.space().max(), validation.get(0));
    double b = s.heldOutLoss(m, k, m.space().max(), validation.get(0));
    assertEquals(a, b, 0, "scoring is repeatable");
    assertTrue(a > 0 && Double.isFinite(a));
    m.batchNorms().forEach(bn -> bn.buffers().forEach((n, v) -> assertArrayEquals(before.get(n), v, n)));
    for (Parameter p : m.parameters()) {
      assertFalse(p.tensor().requiresGrad() && p.tensor().grad() != null && anyNonZero(p.tensor().grad()),
          "no gradient from scoring: " + p.name());
    }
  }

  @Test
  void heldOutLossIsTheLossUnderTheBatchsOwnStatistics() {
    SlimModel m = SPEC.build(new SplittableRandom(SEED));
    new TrainingRun(m, k, strategy(m, new JoslimHistory()), sgd(m), SCHEDULE, SEED).run(source(), 0, 1, 0,
        new TrainingRun.Listener() {});
    JoslimStrategy s = strategy(m, new JoslimHistory());
    Batch b = validation.get(0);
    for (ChannelConfig cfg : List.of(m.space().max(), s.minConfig())) {
      double held = s.heldOutLoss(m, k, cfg, b);
      Calibrator.calibrate(m, k, cfg, List.of(b));
      double eval = Evaluator.evaluate(m, k, cfg, List.of(b)).loss();
      assertEquals(eval, held, 0.02 * eval, "seed " + SEED + " at " + cfg);
    }
  }

  private static boolean anyNonZero(float[] g) {
    for (float v : g) {
      if (v != 0) {
        return true;
      }
    }
    return false;
  }

  @Test
  void resumedRunEqualsTheUninterruptedOne(@TempDir Path dir) throws Exception {
    SlimModel a = SPEC.build(new SplittableRandom(SEED));
    JoslimHistory ha = new JoslimHistory();
    new TrainingRun(a, k, strategy(a, ha), sgd(a), SCHEDULE, SEED).run(source(), 0, 2, 0, new TrainingRun.Listener() {});

    SlimModel b = SPEC.build(new SplittableRandom(SEED));
    JoslimHistory hb = new JoslimHistory();
    Sgd sb = sgd(b);
    Path ckpt = dir.resolve("c.safetensors");
    JoslimStrategy sbs = strategy(b, hb);
    new TrainingRun(b, k, sbs, sb, SCHEDULE, SEED).run(source(), 0, 1, 0, new TrainingRun.Listener() {});
    Map<String, String> meta = new LinkedHashMap<>(sbs.state());
    meta.put("train.step", Long.toString(STEPS_PER_EPOCH));
    Checkpoint.save(ckpt, SPEC, b, sb, meta);

    Checkpoint.Loaded l = Checkpoint.load(ckpt);
    SlimModel c = l.model();
    Sgd sc = sgd(c);
    Checkpoint.loadOptimizer(ckpt, sc);
    JoslimStrategy scs = strategy(c, new JoslimHistory());
    scs.restore(l.metadata());
    JoslimHistory hc = scs.history();
    assertEquals(STEPS_PER_EPOCH, hc.nextStep());
    new TrainingRun(c, k, scs, sc, SCHEDULE, SEED).run(source(), 1, 2, STEPS_PER_EPOCH,
        new TrainingRun.Listener() {});
    Map<String, String> wrongStep = new LinkedHashMap<>(l.metadata());
    wrongStep.put("train.step", "7");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> strategy(c, new JoslimHistory()).restore(wrongStep));
    assertTrue(e.getMessage().contains("at step " + STEPS_PER_EPOCH + ", the checkpoint at step 7"), e.getMessage());

    assertEquals(ha, hc, "seed " + SEED + ": same visits, losses, proposals");
    assertEquals("gp", hc.get(hc.size() - 1).origin(), "the resumed part reached the surrogate-driven proposals");
    for (int i = 0; i < a.parameters().size(); i++) {
      assertArrayEquals(a.parameters().get(i).tensor().data(), c.parameters().get(i).tensor().data(),
          a.parameters().get(i).name());
    }
  }

  @Test
  void badStateIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new JoslimStrategy.Settings(0, 2, 20, 0.42, 0f));
    assertThrows(IllegalArgumentException.class, () -> JoslimHistory.fromJson("{\"format\":\"x\"}", "f"));
    assertThrows(IllegalArgumentException.class, () -> JoslimHistory.fromJson("[1,", "f"));
    JoslimHistory h = new JoslimHistory();
    h.add(new Visit(new double[] {0.5, 0.5}, 0.3, 1.0, 0, "warmup"));
    SlimModel m = SPEC.build(new SplittableRandom(SEED));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> strategy(m, h));
    assertTrue(e.getMessage().contains("3 slots"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> h.setCurrent(new int[] {1}));
    ChannelConfig min = strategy(m, new JoslimHistory()).minConfig();
    assertEquals(m.space().slots().size(), min.size());
  }
}
