package org.slimj.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slimj.engine.TestBackends;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.models.SmallCnn;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.ops.SoftmaxCrossEntropy;
import org.slimj.engine.tensor.Tensor;

/** OWS credits: the moving average, the credit of each random configuration, and exact save/restore. */
class OwsStrategyTest {
  private final Kernels k = TestBackends.scalar();

  private static SlimModel model(long seed) {
    return new SmallCnn(1, 8, 5, new int[] {8, 12, 16}, BnKind.UNIVERSAL, new double[] {0.25, 1.0},
        new SplittableRandom(seed));
  }

  @Test
  void creditsAreTheMeanUntilTheWindowFillsThenAnExponentialAverage() {
    OwsCredits c = new OwsCredits(2, 3, 10);
    c.record(new int[] {1, 3}, 1.0, 4);
    c.record(new int[] {1, 2}, 4.0, 2);
    assertEquals(2.0, c.values()[0][0], 1e-12, "weighted mean (4·1 + 2·4) / 6");
    assertEquals(1.0, c.values()[1][2], 1e-12);
    assertEquals(4.0, c.values()[1][1], 1e-12);
    assertEquals(2.0, c.values()[0][1], 0.0, "nothing recorded: the nearest recorded narrower group's credit");
    c.record(new int[] {1, 2}, 5.0, 6);
    assertEquals(2.0 + 6.0 / 10 * 3.0, c.values()[0][0], 1e-12, "past the window: rate weight / window");
    assertEquals(12.0, c.counts()[0][0], 0.0);
  }

  @Test
  void metadataRestoresBitForBit() {
    SplittableRandom r = new SplittableRandom(3);
    OwsCredits c = new OwsCredits(3, 4, 7);
    for (int i = 0; i < 50; i++) {
      c.record(new int[] {1 + r.nextInt(4), 1 + r.nextInt(4), 1 + r.nextInt(4)}, r.nextGaussian() / 3, 1 + r.nextInt(5));
    }
    OwsCredits d = new OwsCredits(3, 4, 7);
    d.restore(c.toMetadata());
    for (int s = 0; s < 3; s++) {
      assertArrayEquals(c.values()[s], d.values()[s], 0.0);
      assertArrayEquals(c.counts()[s], d.counts()[s], 0.0);
    }
    assertThrows(IllegalArgumentException.class, () -> new OwsCredits(2, 4, 7).restore(c.toMetadata()),
        "a table of another shape is refused");
    assertThrows(IllegalArgumentException.class, () -> d.restore(Map.of()), "missing credits are an error");
  }

  @Test
  void eachRandomConfigurationCreditsItsGroupsWithItsExcessLabelLoss() {
    long seed = 17;
    SlimModel m = model(seed);
    Tensor x = Tensor.zeros(6, 1, 8, 8);
    TestBackends.randn(x, new SplittableRandom(seed));
    int[] labels = {0, 1, 2, 3, 4, 0};
    int slots = m.space().slots().size();
    OwsCredits credits = new OwsCredits(slots, 4, 1e9);
    int[][] draws = {{2, 3, 4}, {4, 2, 2}};
    int[] next = {0};
    GroupSampler fixed = rng -> draws[next[0]++].clone();
    OwsStrategy s = new OwsStrategy(4, 2, 4, 0f, true, 1 << 20, credits, fixed);

    // Expected credits from the losses before the step (accumulate does not change the weights).
    Context eval = Context.train(k, new org.slimj.engine.autograd.Tape(), new SplittableRandom(1));
    double lmax = ce(m, eval, x, m.space().max(), labels);
    double[] expect = new double[2];
    for (int i = 0; i < 2; i++) {
      ChannelConfig cfg = OwsStrategy.config(m.space(), draws[i], 4);
      expect[i] = -(ce(m, eval, x, cfg, labels) - lmax) / slots;
    }
    StepResult r = s.accumulate(m, k, x, labels, new SplittableRandom(seed));
    assertEquals(4, r.configs().size());
    assertEquals(m.space().max(), r.configs().get(0));
    assertEquals(OwsStrategy.config(m.space(), new int[] {2, 2, 2}, 4), r.configs().get(1), "min at group 2");
    double[][] v = credits.values();
    assertEquals(expect[0], v[0][1], 1e-5, "slot 0 group 2: first draw only (seed " + seed + ")");
    // The second credit is taken relative to the recent mean credit, which after one record is the first.
    assertEquals(expect[1] - expect[0], v[0][3], 1e-5, "slot 0 group 4: second draw only, relative to the level");
    assertEquals(expect[0], v[1][2], 1e-5, "slot 1 group 3: first draw");
    assertEquals(expect[1] - expect[0], v[1][1], 1e-5, "slot 1 group 2: second draw");
    assertEquals(expect[0], v[2][3], 1e-5, "slot 2 group 4: first draw");
    assertEquals(Math.min(v[2][1], v[2][3]), v[2][0], 0.0,
        "slot 2 group 1: never drawn, no narrower group recorded: the slot's lowest credit");
    assertEquals(v[2][1], v[2][2], 0.0, "slot 2 group 3: never drawn: its nearest recorded narrower group (2)");
    assertEquals(6.0, credits.counts()[0][1], 0.0, "weighted by the batch size");
    assertTrue(expect[0] != 0 && expect[1] != 0);
  }

  @Test
  void eachSubBatchOfARandomPassHasItsOwnConfigurationAndCredit() {
    long seed = 23;
    SlimModel m = model(seed);
    Tensor x = Tensor.zeros(7, 1, 8, 8);
    TestBackends.randn(x, new SplittableRandom(seed));
    int[] labels = {0, 1, 2, 3, 4, 0, 2};
    int slots = m.space().slots().size();
    OwsCredits credits = new OwsCredits(slots, 4, 1e9);
    int[][] draws = {{2, 3, 4}, {4, 2, 2}};
    int[] next = {0};
    GroupSampler fixed = rng -> draws[next[0]++].clone();
    // 7 images in sub-batches of about 3: rows [0, 3) and [3, 7), one random pass.
    OwsStrategy s = new OwsStrategy(4, 2, 3, 0f, true, 3, credits, fixed);
    assertArrayEquals(new int[] {0, 3, 7}, OwsStrategy.subBatchBounds(7, 3));
    assertArrayEquals(new int[] {0, 5}, OwsStrategy.subBatchBounds(5, 8), "a batch smaller than the sub-batch: one");

    Context eval = Context.train(k, new org.slimj.engine.autograd.Tape(), new SplittableRandom(1));
    int[][] rows = {{0, 3}, {3, 7}};
    double[] expect = new double[2];
    for (int i = 0; i < 2; i++) {
      Tensor xs = Tensor.view(x.data(), rows[i][0] * 64, rows[i][1] - rows[i][0], 1, 8, 8);
      int[] ls = java.util.Arrays.copyOfRange(labels, rows[i][0], rows[i][1]);
      // The maximum's loss over the same images: its logits come from the whole batch (batch statistics).
      Tensor maxLogits = m.forward(eval, x, m.space().max());
      double lmax = 0;
      double[] per = OwsStrategy.crossEntropies(maxLogits, labels);
      for (int b = rows[i][0]; b < rows[i][1]; b++) {
        lmax += per[b] / ls.length;
      }
      expect[i] = -(ce(m, eval, xs, OwsStrategy.config(m.space(), draws[i], 4), ls) - lmax) / slots;
    }
    StepResult r = s.accumulate(m, k, x, labels, new SplittableRandom(seed));
    assertEquals(4, r.configs().size(), "max, min and two sub-batch configurations");
    assertEquals(OwsStrategy.config(m.space(), draws[1], 4), r.configs().get(3));
    double[][] v = credits.values();
    assertEquals(expect[0], v[0][1], 1e-5, "slot 0 group 2: first sub-batch (seed " + seed + ")");
    assertEquals(expect[1] - expect[0], v[0][3], 1e-5, "slot 0 group 4: second sub-batch, relative to the level");
    assertEquals(3.0, credits.counts()[0][1], 0.0, "weighted by the sub-batch size");
    assertEquals(4.0, credits.counts()[0][3], 0.0);
  }

  @Test
  void controlVariatesAndTheLevelKeepCreditDifferencesUnbiasedAndCutTheirSpread() {
    // An additive credit y = drift(i) + sum_s a[s][c_s] + noise over 6 slots of 5 groups, drawn
    // uniformly; the search uses only differences within a slot, so credits are compared centred per
    // slot: E[y | c_s = g] - mean_g E[y | c_s = g] = a[s][g] - mean(a[s]).
    int slots = 6;
    int groups = 5;
    double[][] a = new double[slots][groups];
    SplittableRandom truth = new SplittableRandom(41);
    for (double[] row : a) {
      for (int g = 0; g < groups; g++) {
        row[g] = truth.nextGaussian() * 0.3;
      }
    }
    GroupSampler uniform = GroupSampler.uniform(slots, 1, groups);
    double errPlain = 0;
    double errControl = 0;
    double biasControl = 0;
    int runs = 20;
    for (int run = 0; run < runs; run++) {
      long seed = 1000 + run;
      SplittableRandom r = new SplittableRandom(seed);
      OwsCredits plain = new OwsCredits(slots, groups, 1e12);
      OwsCredits control = new OwsCredits(slots, groups, 1e12);
      for (int i = 0; i < 4000; i++) {
        GroupSampler.Drawn d = uniform.drawn(r);
        double y = -2.0 * Math.exp(-i / 800.0) + r.nextGaussian() * 0.05;
        for (int s = 0; s < slots; s++) {
          y += a[s][d.groups()[s] - 1];
        }
        plain.record(d.groups(), y, 1.0);
        control.record(d.groups(), y, OwsCredits.CONTROL_MIN_WEIGHT / 100, d.probabilities());
      }
      for (int s = 0; s < slots; s++) {
        double[] p = centred(plain.values()[s]);
        double[] c = centred(control.values()[s]);
        double[] e = centred(a[s]);
        for (int g = 0; g < groups; g++) {
          errPlain += Math.pow(p[g] - e[g], 2);
          errControl += Math.pow(c[g] - e[g], 2);
          biasControl += (c[g] - e[g]) * Math.signum(e[g]) / runs;
        }
      }
    }
    assertTrue(errControl < errPlain / 4, "control variates and level: squared error " + errControl + " vs plain "
        + errPlain + " (seeds 1000..1019)");
    assertEquals(0.0, biasControl / (slots * groups), 0.01, "no shrinkage or bias on average (seeds 1000..1019)");
  }

  private static double[] centred(double[] v) {
    double m = java.util.Arrays.stream(v).average().orElseThrow();
    return java.util.Arrays.stream(v).map(x -> x - m).toArray();
  }

  private static double ce(SlimModel m, Context ctx, Tensor x, ChannelConfig cfg, int[] labels) {
    Tensor logits = m.forward(ctx, x, cfg);
    return SoftmaxCrossEntropy.forward(ctx, logits, labels, 0f).item();
  }
}
