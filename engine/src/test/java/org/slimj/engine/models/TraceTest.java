package org.slimj.engine.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slimj.engine.graph.OpKind;
import org.slimj.engine.graph.TracedLayer;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.LayerSpec;

/** A model's trace lists the layers of its channel space, in order, with the configuration's channels. */
class TraceTest {
  private static final double[] W = {0.5, 1.0};

  private static void assertMatchesSpace(SlimModel m, ChannelConfig cfg, String what) {
    List<TracedLayer> t = m.trace(cfg);
    List<TracedLayer> weighted = t.stream().filter(l -> l.kind().hasWeight()).toList();
    List<LayerSpec> space = m.space().layers();
    assertEquals(space.size(), weighted.size(), what + ": weighted layers");
    for (int i = 0; i < space.size(); i++) {
      LayerSpec s = space.get(i);
      TracedLayer l = weighted.get(i);
      assertEquals(s.name(), l.name(), what + ": layer " + i);
      int cout = s.outSlot() >= 0 ? cfg.get(s.outSlot()) : s.outFixed();
      int cin = s.inSlot() >= 0 ? cfg.get(s.inSlot()) : s.inFixed();
      assertEquals(cout, l.cout(), what + ": cout of " + s.name());
      assertEquals(cin, l.cin(), what + ": cin of " + s.name());
    }
    for (int i = 0; i < t.size(); i++) {
      assertTrue(t.get(i).input() < i && t.get(i).residual() < i, what + ": layer " + i + " reads earlier outputs");
    }
    assertEquals(OpKind.LINEAR, t.get(t.size() - 1).kind(), what + ": ends with the classifier");
  }

  @Test
  void tracesFollowTheChannelSpace() {
    SplittableRandom rng = new SplittableRandom(41);
    SlimModel[] models = {
      new SmallCnn(1, 12, 10, new int[] {8, 12, 16}, BnKind.SHARED, W, rng),
      new MobileNetV1(1.0, 3, 32, 10, BnKind.UNIVERSAL, W, rng),
      new MobileNetV2(1.0, 3, 32, 10, BnKind.UNIVERSAL, W, rng),
      new ResNetCifar(20, 1.0, 3, 32, 10, BnKind.UNIVERSAL, W, rng),
    };
    for (SlimModel m : models) {
      assertMatchesSpace(m, m.space().max(), m.getClass().getSimpleName() + " at max");
      assertMatchesSpace(m, m.uniform(0.5), m.getClass().getSimpleName() + " at 0.5");
    }
  }

  @Test
  void resNetShortcutsAppearWhereChannelsOrStrideChange() {
    ResNetCifar r = new ResNetCifar(20, 1.0, 3, 32, 10, BnKind.UNIVERSAL, W, new SplittableRandom(42));
    long atMax = r.trace(r.space().max()).stream().filter(l -> l.kind() == OpKind.SHORTCUT).count();
    assertEquals(2, atMax, "the two stage transitions");
    int[] c = r.space().max().toArray();
    c[0] = 9; // stage 0 narrower than... every block of stage 0 keeps 9: still identity shortcuts
    assertEquals(2, r.trace(ChannelConfig.of(c)).stream().filter(l -> l.kind() == OpKind.SHORTCUT).count());
    assertEquals(9, r.trace(ChannelConfig.of(c)).stream().filter(l -> l.kind() == OpKind.ADD).count(),
        "one add per block");
    assertThrows(IllegalArgumentException.class, () -> r.trace(ChannelConfig.of(1, 2)));
  }
}
