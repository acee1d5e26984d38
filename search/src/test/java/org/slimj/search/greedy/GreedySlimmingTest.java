package org.slimj.search.greedy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.space.LayerKind;
import org.slimj.engine.space.LayerSpec;
import org.slimj.engine.space.Slot;
import org.slimj.search.cost.CostModel;
import org.slimj.search.cost.MacsCost;
import org.slimj.search.cost.ParamsCost;
import org.slimj.search.io.FoundConfig;

/** Greedy slimming on synthetic errors whose greedy path is known. */
class GreedySlimmingTest {
  private static final MacsCost MACS = new MacsCost();

  /** conv 3→s0 (8×8), conv s0→s1 /2, depthwise on s1, conv s1→s2, linear s2→10. */
  private static ChannelSpace space(int... max) {
    List<Slot> slots = new ArrayList<>();
    for (int i = 0; i < max.length; i++) {
      slots.add(new Slot("s" + i, max[i], max[i], 1, 1, false));
    }
    List<LayerSpec> layers = List.of(
        new LayerSpec("a", LayerKind.CONV, 3, 1, 8, -1, 3, 0, 0, true, false),
        new LayerSpec("b", LayerKind.CONV, 3, 2, 8, 0, 0, 1, 0, true, false),
        new LayerSpec("dw", LayerKind.DEPTHWISE, 3, 1, 4, 1, 0, -1, 0, true, false),
        new LayerSpec("c", LayerKind.CONV, 1, 1, 4, 1, 0, 2, 0, true, false),
        new LayerSpec("fc", LayerKind.LINEAR, 1, 1, 1, 2, 0, -1, 10, false, true));
    return new ChannelSpace(slots, layers);
  }

  /** Error = sum over slots of weight × (removed fraction)^power. */
  private static ErrorEvaluator weighted(ChannelSpace sp, double power, double... w) {
    return cfg -> {
      double e = 0;
      for (int i = 0; i < w.length; i++) {
        e += w[i] * Math.pow(1 - (double) cfg.get(i) / sp.slots().get(i).max(), power);
      }
      return e;
    };
  }

  private static List<GreedySlimming.Target> relative(ChannelSpace sp, CostModel cost, double... fractions) {
    double max = cost.cost(sp, sp.max());
    List<GreedySlimming.Target> t = new ArrayList<>();
    for (double f : fractions) {
      t.add(GreedySlimming.Target.atMost(cost.name(), f * max));
    }
    return t;
  }

  @Test
  void linearErrorsRemoveTheCheapestSlotFirstToItsMinimum() {
    ChannelSpace sp = space(20, 10, 30);
    // each group is 10% of a slot, so a step on slot i costs 0.1 * w[i]: slot 1, then 2, then 0
    GreedySlimming g = new GreedySlimming(sp, MACS, relative(sp, MACS, 1e-9), 10, 1, List.of(), "error");
    GreedySlimming.Result r = g.run(weighted(sp, 1, 3, 1, 2), null);
    List<Integer> order = r.trajectory().stream().skip(1).map(GreedySlimming.Step::slot).toList();
    List<Integer> expected = new ArrayList<>();
    for (int slot : new int[] {1, 2, 0}) {
      for (int s = 0; s < 9; s++) {
        expected.add(slot);
      }
    }
    assertEquals(expected, order);
    GreedySlimming.Step last = r.trajectory().get(r.trajectory().size() - 1);
    assertEquals(ChannelConfig.of(2, 1, 3), last.config(), "every slot ends at its first group");
    assertArrayEquals(new int[] {1, 1, 1}, last.groups());
    assertEquals(1, r.unreached().size(), "a budget below the minimum configuration is unreachable");
    assertTrue(r.found().isEmpty());
  }

  @Test
  void emitsTheFirstConfigurationAtOrBelowEachTarget() {
    for (long seed = 1; seed <= 20; seed++) {
      SplittableRandom rnd = new SplittableRandom(seed);
      ChannelSpace sp = space(8 + rnd.nextInt(40), 3 + rnd.nextInt(40), 5 + rnd.nextInt(60));
      double[] w = {0.5 + rnd.nextDouble(), 0.5 + rnd.nextDouble(), 0.5 + rnd.nextDouble()};
      int groups = 4 + rnd.nextInt(9);
      List<GreedySlimming.Target> targets = relative(sp, MACS, 1.0, 0.8, 0.6, 0.5, 0.3, 0.3);
      GreedySlimming g = new GreedySlimming(sp, MACS, targets, groups, 1, List.of(new ParamsCost()), "error");
      GreedySlimming.Result r = g.run(weighted(sp, 2, w), null);
      String why = "seed " + seed + ", groups " + groups + ", space " + sp.max();
      List<GreedySlimming.Step> path = r.trajectory();
      assertEquals(targets.size(), r.found().size() + r.unreached().size(), why);
      for (int t = 0; t < r.found().size(); t++) {
        FoundConfig f = r.found().get(t);
        double budget = targets.get(t).budget();
        assertEquals(targets.get(t).label(), f.label(), why);
        int step = (Integer) f.how().get("step");
        int first = 0;
        while (path.get(first).cost() > budget) {
          first++;
        }
        assertEquals(first, step, "emitted at the first crossing of " + budget + "; " + why);
        assertEquals(path.get(step).config(), f.config(), why);
        assertTrue(f.costs().get("macs") <= budget, why);
        assertEquals(sp.macs(f.config()), f.costs().get("macs"), 0.0, why);
        assertEquals(sp.params(f.config()), f.costs().get("params"), 0.0, why);
      }
      assertEquals(0, (Integer) r.found().get(0).how().get("step"), "a budget of the max cost is met at step 0; " + why);
      // the path stops at the step that meets the last reachable target, and every step is the argmin
      ErrorEvaluator e = weighted(sp, 2, w);
      for (int s = 1; s < path.size(); s++) {
        ChannelConfig prev = path.get(s - 1).config();
        ChannelConfig now = path.get(s).config();
        int changed = 0;
        for (int i = 0; i < 3; i++) {
          if (prev.get(i) != now.get(i)) {
            changed++;
            assertTrue(now.get(i) < prev.get(i), why);
          }
        }
        assertEquals(1, changed, "each step narrows exactly one slot; " + why);
        assertEquals(e.error(now), path.get(s).error(), 1e-12, why);
        for (int i = 0; i < 3; i++) {
          int[] c = prev.toArray();
          int[] gr = path.get(s - 1).groups();
          if (gr[i] == 1) {
            continue;
          }
          int k = gr[i] - 1;
          while (k > 1 && sp.slots().get(i).groupChannels(k, groups) == prev.get(i)) {
            k--;
          }
          c[i] = sp.slots().get(i).groupChannels(k, groups);
          if (c[i] < prev.get(i)) {
            assertTrue(path.get(s).error() <= e.error(ChannelConfig.of(c)) + 1e-12, "step " + s + " is the argmin; " + why);
          }
        }
      }
    }
  }

  @Test
  void tiesGoToTheCheaperCandidateThenTheLowerSlot() {
    ChannelSpace sp = space(10, 10, 10);
    GreedySlimming g = new GreedySlimming(sp, MACS, relative(sp, MACS, 0.9), 10, 1, List.of(), "error");
    GreedySlimming.Result r = g.run(cfg -> 0.0, null);
    // with equal errors the step that saves the most MACs wins: slot 0 or 1 feed the costly convs
    int[] c = sp.max().toArray();
    double best = Double.MAX_VALUE;
    int bestSlot = -1;
    for (int i = 0; i < 3; i++) {
      int[] d = c.clone();
      d[i] = 9;
      double m = sp.macs(ChannelConfig.of(d));
      if (m < best) {
        best = m;
        bestSlot = i;
      }
    }
    assertEquals(bestSlot, r.trajectory().get(1).slot());

    CostModel flat = new CostModel() {
      @Override
      public String name() {
        return "flat";
      }

      @Override
      public String unit() {
        return "units";
      }

      @Override
      public double cost(ChannelSpace s, ChannelConfig cfg) {
        return 1;
      }
    };
    GreedySlimming g2 = new GreedySlimming(sp, flat, List.of(new GreedySlimming.Target("never", 0)), 5, 2, List.of(), "e");
    List<Integer> order = g2.run(cfg -> 0.5, null).trajectory().stream().skip(1).map(GreedySlimming.Step::slot).toList();
    assertEquals(List.of(0, 0, 0, 1, 1, 1, 2, 2, 2), order, "full ties go to the lowest slot; min group 2 of 5 stops at 4 channels");
  }

  @Test
  void skipsGroupsThatRoundToTheSameCountAndRespectsTheMinimumGroup() {
    ChannelSpace sp = space(3, 20, 7);
    List<ChannelConfig> seen = new ArrayList<>();
    GreedySlimming g = new GreedySlimming(sp, MACS, relative(sp, MACS, 0.0), 10, 3, List.of(), "error");
    GreedySlimming.Result r = g.run(cfg -> {
      seen.add(cfg);
      return new SplittableRandom(cfg.hashCode()).nextDouble();
    }, null);
    for (ChannelConfig c : seen) {
      assertTrue(c.get(0) >= 1 && c.get(1) >= 6 && c.get(2) >= 3, "group 3 of 10 is the floor: " + c);
    }
    GreedySlimming.Step last = r.trajectory().get(r.trajectory().size() - 1);
    assertEquals(ChannelConfig.of(1, 6, 3), last.config());
    // slot 0 (3 channels) has counts 3, 2, 1 only; slot 1 has 7 smaller groups down to the floor; slot 2 has 7, 6, 5, 4, 3
    assertEquals(2 + 7 + 4, r.trajectory().size() - 1);
    assertEquals(r.evaluations(), seen.size());
  }

  @Test
  void cachingEvaluatorEvaluatesEachConfigurationOnce() {
    int[] calls = {0};
    CachingEvaluator c = new CachingEvaluator(cfg -> {
      calls[0]++;
      return cfg.get(0);
    });
    assertEquals(3.0, c.error(ChannelConfig.of(3, 1)));
    assertEquals(3.0, c.error(ChannelConfig.of(3, 1)));
    assertEquals(2.0, c.error(ChannelConfig.of(2, 1)));
    assertEquals(2, calls[0]);
    assertEquals(2, c.evaluations());
  }

  @Test
  void badInputsAreRefusedWithMessages() {
    ChannelSpace sp = space(10, 10, 10);
    var desc = List.of(GreedySlimming.Target.atMost("macs", 5), GreedySlimming.Target.atMost("macs", 6));
    var e = assertThrows(IllegalArgumentException.class, () -> new GreedySlimming(sp, MACS, desc, 10, 1, List.of(), "e"));
    assertTrue(e.getMessage().contains("descending"), e.getMessage());
    var one = relative(sp, MACS, 0.5);
    assertThrows(IllegalArgumentException.class, () -> new GreedySlimming(sp, MACS, one, 10, 0, List.of(), "e"));
    assertThrows(IllegalArgumentException.class, () -> new GreedySlimming(sp, MACS, one, 10, 11, List.of(), "e"));
    assertThrows(IllegalArgumentException.class, () -> new GreedySlimming(sp, MACS, List.of(), 10, 1, List.of(), "e"));
    assertThrows(IllegalArgumentException.class, () -> GreedySlimming.Target.atMost("macs", Double.NaN));
    GreedySlimming g = new GreedySlimming(sp, MACS, one, 10, 1, List.of(), "e");
    var nan = assertThrows(IllegalStateException.class, () -> g.run(cfg -> Double.NaN, null));
    assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
    assertEquals("macs<=1500", GreedySlimming.Target.atMost("macs", 1500).label());
  }

  @Test
  void furtherCostsAreMetAlongTheSamePathAtTheirFirstCrossing() {
    ChannelSpace sp = space(20, 10, 30);
    ParamsCost params = new ParamsCost();
    ErrorEvaluator e = weighted(sp, 2, 3, 1, 2);
    GreedySlimming alone = new GreedySlimming(sp, MACS, relative(sp, MACS, 0.6, 0.3), 10, 1, List.of(), "error");
    GreedySlimming.Result a = alone.run(e, null);
    List<GreedySlimming.Target> pt = relative(sp, params, 0.8, 0.5, 0.2);
    GreedySlimming both = new GreedySlimming(sp, MACS, relative(sp, MACS, 0.6, 0.3), 10, 1, List.of(), "error",
        List.of(new GreedySlimming.AlsoTargets(params, pt)));
    GreedySlimming.Result b = both.run(e, null);
    // the same path as far as the MACs-only search went
    for (int i = 0; i < a.trajectory().size(); i++) {
      assertEquals(a.trajectory().get(i).config(), b.trajectory().get(i).config(), "step " + i);
    }
    assertEquals(5, b.found().size(), "2 MACs targets and 3 parameter targets: " + b.found());
    for (GreedySlimming.Target t : pt) {
      FoundConfig f = b.found().stream().filter(x -> x.label().equals(t.label())).findFirst().orElseThrow();
      GreedySlimming.Step first = b.trajectory().stream().filter(st -> params.cost(sp, st.config()) <= t.budget())
          .findFirst().orElseThrow();
      assertEquals(first.config(), f.config(), t.label());
      assertTrue(f.costs().get("params") <= t.budget(), t.label());
    }
    assertTrue(b.unreached().isEmpty());
  }
}
