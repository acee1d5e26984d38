package org.slimj.search.multiplatform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.search.cost.CostSpecs;
import org.slimj.search.cost.LayerwiseCost;

/** Platform specs, their shares (given, equal, or from the CRP) and the weighted objective. */
class PlatformsTest {
  private static final ChannelSpace SPACE = new ModelSpec("smallcnn", 1.0, 1, 28, 10, BnKind.UNIVERSAL,
      new double[] {1.0}).build(new SplittableRandom(0)).space();

  private static List<Platform> parse(Double alpha, String... specs) {
    return Platforms.parse(List.of(specs), SPACE, s -> (LayerwiseCost) CostSpecs.parse(s), alpha, 4);
  }

  @Test
  void budgetsInUnitsOrPercentAndSharesNormalised() {
    List<Platform> ps = parse(null, "a=macs@50%:3", "b=params@1234:1");
    assertEquals(0.5 * SPACE.macs(SPACE.max()), ps.get(0).budget(), 1e-6);
    assertEquals(1234, ps.get(1).budget(), 0);
    assertEquals(0.75, ps.get(0).share(), 1e-12);
    assertEquals(0.25, ps.get(1).share(), 1e-12);
    assertEquals("params", ps.get(1).cost().name());
    List<Platform> eq = parse(null, "a=macs@50%", "b=macs@20%", "c=macs@90%");
    for (Platform p : eq) {
      assertEquals(1.0 / 3, p.share(), 1e-12);
    }
  }

  @Test
  void crpSharesAreSeededAndSumToOne() {
    List<Platform> a = parse(0.5, "a=macs@50%", "b=macs@20%", "c=macs@90%");
    List<Platform> b = parse(0.5, "a=macs@50%", "b=macs@20%", "c=macs@90%");
    double[] wa = a.stream().mapToDouble(Platform::share).toArray();
    assertArrayEquals(wa, b.stream().mapToDouble(Platform::share).toArray(), 0.0, "same seed, same shares");
    assertEquals(1.0, java.util.Arrays.stream(wa).sum(), 1e-12);
    assertTrue(java.util.Arrays.stream(wa).allMatch(w -> w >= 0), "shares are non-negative");
  }

  @Test
  void badSpecsFailNamingTheProblem() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(null, "a=macs50%")).getMessage()
        .contains("NAME=COST@BUDGET"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(null, "a=macs@50%:1", "b=macs@20%"))
        .getMessage().contains("every platform or to none"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(null, "a=macs@50%", "a=macs@20%"))
        .getMessage().contains("twice"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(1.0, "a=macs@50%:1")).getMessage()
        .contains("--crp-alpha"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(null, "a=macs@lots")).getMessage()
        .contains("numbers"));
  }

  @Test
  void objectiveIsTheShareWeightedAccuracy() {
    List<Platform> ps = parse(null, "a=macs@50%:3", "b=params@1234:1");
    assertEquals(0.75 * 0.8 + 0.25 * 0.4, MultiPlatformObjective.weighted(ps, new double[] {0.8, 0.4}), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> MultiPlatformObjective.weighted(ps, new double[] {0.8}));
  }
}
