package org.slimj.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slimj.engine.TestBackends;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.models.SmallCnn;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.Slot;
import org.slimj.engine.tensor.Tensor;

/**
 * Each strategy's configurations and loss combination: under the sandwich rule and the nonuniform
 * supernet only the largest configuration sees the labels; under S-BN, naive and random sampling
 * every configuration does.
 */
class TrainingStrategiesTest {
  private static final double[] WIDTHS = {0.25, 0.5, 0.75, 1.0};
  private final Kernels k = TestBackends.scalar();

  private static SlimModel model(BnKind bn, long seed) {
    return new SmallCnn(1, 8, 5, new int[] {8, 12, 16}, bn, WIDTHS, new SplittableRandom(seed));
  }

  private static Tensor images(long seed) {
    Tensor x = Tensor.zeros(6, 1, 8, 8);
    TestBackends.randn(x, new SplittableRandom(seed));
    return x;
  }

  private static final int[] LABELS = {0, 1, 2, 3, 4, 0};
  private static final int[] OTHER_LABELS = {4, 3, 0, 1, 2, 2};

  private StepResult run(TrainingStrategy s, BnKind bn, int[] labels, long seed) {
    return s.accumulate(model(bn, seed), k, images(seed), labels, new SplittableRandom(seed));
  }

  /** Which configurations' losses change when the labels change. */
  private boolean[] seesLabels(TrainingStrategy s, BnKind bn, long seed) {
    StepResult a = run(s, bn, LABELS, seed);
    StepResult b = run(s, bn, OTHER_LABELS, seed);
    assertEquals(a.configs(), b.configs(), "same seed, same configurations");
    boolean[] sees = new boolean[a.losses().length];
    for (int i = 0; i < sees.length; i++) {
      sees[i] = a.losses()[i] != b.losses()[i];
    }
    return sees;
  }

  @Test
  void sandwichRuleOnlyTheMaxWidthSeesLabels() {
    long seed = 51;
    SandwichStrategy s = new SandwichStrategy(0.25, 1.0, 4, 0.1f, true);
    StepResult r = run(s, BnKind.UNIVERSAL, LABELS, seed);
    SlimModel m = model(BnKind.UNIVERSAL, seed);
    assertEquals(4, r.configs().size());
    assertEquals(m.uniform(1.0), r.configs().get(0), "first the largest width");
    assertEquals(m.uniform(0.25), r.configs().get(1), "then the smallest");
    boolean[] sees = seesLabels(s, BnKind.UNIVERSAL, seed);
    assertTrue(sees[0], "the max width learns from labels (seed " + seed + ")");
    for (int i = 1; i < 4; i++) {
      assertTrue(!sees[i], "width " + r.configs().get(i) + " must learn only from the max's soft targets");
    }
  }

  @Test
  void sandwichWithoutDistillationTrainsEveryWidthOnLabels() {
    boolean[] sees = seesLabels(new SandwichStrategy(0.25, 1.0, 4, 0f, false), BnKind.UNIVERSAL, 52);
    for (boolean b : sees) {
      assertTrue(b);
    }
  }

  @Test
  void slimmableFixedListTrainsEveryWidthOnLabelsLargestFirst() {
    long seed = 53;
    FixedWidthListStrategy s = new FixedWidthListStrategy(0f, false);
    StepResult r = run(s, BnKind.SWITCHABLE, LABELS, seed);
    assertEquals(4, r.configs().size());
    for (int i = 0; i < 4; i++) {
      assertEquals(3 - i, r.configs().get(i).switchIndex(), "largest width first, each with its switch index");
    }
    for (boolean b : seesLabels(s, BnKind.SWITCHABLE, seed)) {
      assertTrue(b, "every width sees the labels under S-BN");
    }
    for (boolean b : seesLabels(s, BnKind.SHARED, seed)) {
      assertTrue(b, "every width sees the labels under the naive shared BN");
    }
  }

  @Test
  void nonuniformSamplesSlotsIndependentlyInGroupsAndDistills() {
    long seed = 54;
    NonuniformStrategy s = new NonuniformStrategy(4, 0.25, 4, 0f, true);
    SlimModel m = model(BnKind.UNIVERSAL, seed);
    StepResult r = run(s, BnKind.UNIVERSAL, LABELS, seed);
    assertEquals(m.space().max(), r.configs().get(0));
    assertEquals(s.minConfig(m.space()), r.configs().get(1));
    boolean[] sees = seesLabels(s, BnKind.UNIVERSAL, seed);
    assertTrue(sees[0]);
    for (int i = 1; i < sees.length; i++) {
      assertTrue(!sees[i], "nonuniform config " + i + " distills from the max");
    }
    // every drawn count is one of the group sizes, and slots vary independently
    SplittableRandom rng = new SplittableRandom(seed);
    boolean nonuniformSeen = false;
    for (int t = 0; t < 50; t++) {
      ChannelConfig c = s.sample(m.space(), rng);
      double first = (double) c.get(0) / m.space().slots().get(0).max();
      for (int i = 0; i < c.size(); i++) {
        Slot slot = m.space().slots().get(i);
        boolean isGroup = false;
        for (int g = 1; g <= 4; g++) {
          isGroup |= slot.groupChannels(g, 4) == c.get(i);
        }
        assertTrue(isGroup, "slot " + slot.name() + " got " + c.get(i) + ", not a group size");
        nonuniformSeen |= Math.abs((double) c.get(i) / slot.max() - first) > 0.2;
      }
    }
    assertTrue(nonuniformSeen, "slots are drawn independently (seed " + seed + ")");
    int slots = m.space().slots().size();
    OwsStrategy ows = new OwsStrategy(4, 1, 4, 0f, false, 1 << 20, new OwsCredits(slots, 4, 1e4),
        GroupSampler.uniform(slots, 1, 4));
    boolean[] owsSees = seesLabels(ows, BnKind.UNIVERSAL, seed);
    for (boolean b : owsSees) {
      assertTrue(b, "ows without inplace distillation: every configuration sees the labels (seed " + seed + ")");
    }
    for (boolean b : seesLabels(new NonuniformStrategy(4, 0.25, 4, 0f, false), BnKind.UNIVERSAL, seed)) {
      assertTrue(b, "without inplace distillation every nonuniform configuration sees the labels (seed " + seed + ")");
    }
  }

  @Test
  void singleTrainsOneConfigurationOnLabels() {
    long seed = 55;
    ChannelConfig cfg = ChannelConfig.of(4, 6, 9);
    SingleConfigStrategy s = new SingleConfigStrategy(cfg, 0f);
    StepResult r = run(s, BnKind.SHARED, LABELS, seed);
    assertEquals(List.of(cfg), r.configs());
    assertTrue(seesLabels(s, BnKind.SHARED, seed)[0]);
  }

  @Test
  void randomWidthSamplingTrainsRandomWidthsOnLabels() {
    long seed = 56;
    RandomWidthStrategy s = new RandomWidthStrategy(0.25, 1.0, 3, 0f);
    StepResult r = run(s, BnKind.UNIVERSAL, LABELS, seed);
    assertEquals(3, r.configs().size());
    assertNotEquals(r.configs().get(0), r.configs().get(1));
    for (boolean b : seesLabels(s, BnKind.UNIVERSAL, seed)) {
      assertTrue(b);
    }
  }
}
