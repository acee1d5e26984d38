package org.slimj.search.joslim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slimj.engine.models.SmallCnn;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.search.cost.MacsCost;

/** Width encoding, warm-up order, and the scalarization with bisection hitting a target cost. */
class WidthProposerTest {
  private static ChannelSpace space() {
    return new SmallCnn(1, 28, 10, new int[] {32, 64, 128}, BnKind.UNIVERSAL, new double[] {1.0},
        new SplittableRandom(1)).space();
  }

  private static WidthProposer proposer(int warmup) {
    ChannelSpace s = space();
    return new WidthProposer(new WidthEncoding(s, 0.42), new CostRatio(new MacsCost(), s), warmup,
        new GpFitter(2, 200, 100), new AcquisitionOptimizer(300, 3, 100));
  }

  /** A synthetic loss: wider is better, the last slot matters most. */
  private static double loss(double[] a) {
    return 0.5 * Math.pow(1 - a[0], 2) + 1.0 * Math.pow(1 - a[1], 2) + 2.0 * Math.pow(1 - a[2], 2);
  }

  @Test
  void encodingFloorsChannelsAndMapsTheUnitCube() {
    WidthEncoding e = new WidthEncoding(space(), 0.42);
    assertEquals(ChannelConfig.of(32, 64, 128), e.decode(e.uniform(1.0)));
    assertEquals(ChannelConfig.of(13, 26, 53), e.decode(e.minimum()), "floor(0.42 * max)");
    assertEquals(ChannelConfig.of(16, 32, 64), e.decode(new double[] {0.5, 0.5, 0.5}));
    assertArrayEquals(new double[] {0, 1, 0.5}, e.toUnit(new double[] {0.42, 1.0, 0.71}), 1e-12);
    assertArrayEquals(new double[] {0.42, 1.0, 0.71}, e.fromUnit(new double[] {-3, 7, 0.5}), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> e.decode(new double[] {0.5, 0.5}));
    assertThrows(IllegalArgumentException.class, () -> new WidthEncoding(space(), 1.0));
  }

  @Test
  void warmupThenFullThenSurrogates() {
    WidthProposer p = proposer(3);
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 3; i++) {
      WidthProposer.Proposal w = p.next(i, null, r);
      assertEquals("warmup", w.origin());
      double[] a = w.alpha();
      assertTrue(a[0] >= 0.42 && a[0] <= 1 && a[0] == a[1] && a[1] == a[2], "uniform in the box: " + w);
      assertTrue(!p.needsSurrogates(i));
    }
    assertArrayEquals(new double[] {1, 1, 1}, p.next(3, null, r).alpha());
    assertTrue(p.needsSurrogates(4));
    assertEquals("warmup", p.next(4, null, r).origin(), "without surrogates it falls back to warm-up");
  }

  @Test
  void bisectionHitsTargetCosts() {
    long seed = 21;
    WidthProposer p = proposer(0);
    SplittableRandom r = new SplittableRandom(seed);
    JoslimHistory h = new JoslimHistory();
    for (int i = 0; i < 40; i++) {
      double[] a = new double[3];
      for (int d = 0; d < 3; d++) {
        a[d] = 0.42 + 0.58 * r.nextDouble();
      }
      h.add(new Visit(a, p.costOf(a), loss(a) + 0.01 * r.nextGaussian(), 0, "warmup"));
    }
    WidthProposer.Surrogates s = p.fit(h, r);
    TchebyshevUcb acq = TchebyshevUcb.of(s.loss(), s.cost());
    double fMin = p.costOf(p.encoding().minimum());
    int hits = 0;
    double prevCost = -1;
    for (double t : new double[] {fMin + 0.05, 0.3, 0.45, 0.6, 0.75, 0.9}) {
      WidthProposer.Proposal w = p.towardTarget(acq, t, r);
      double c = p.costOf(w.alpha());
      if (Math.abs(c - t) <= WidthProposer.TOLERANCE) {
        hits++;
      }
      assertTrue(c > prevCost, "seed " + seed + ": cost grows with the target: " + c + " after " + prevCost);
      prevCost = c;
    }
    assertTrue(hits >= 5, "seed " + seed + ": " + hits + " of 6 targets within tolerance");
  }

  @Test
  void scalarizationWeightTradesLossForCost() {
    WidthProposer p = proposer(0);
    SplittableRandom r = new SplittableRandom(4);
    JoslimHistory h = new JoslimHistory();
    for (int i = 0; i < 30; i++) {
      double[] a = {0.42 + 0.58 * r.nextDouble(), 0.42 + 0.58 * r.nextDouble(), 0.42 + 0.58 * r.nextDouble()};
      h.add(new Visit(a, p.costOf(a), loss(a), 0, "warmup"));
    }
    WidthProposer.Surrogates s = p.fit(h, r);
    TchebyshevUcb acq = TchebyshevUcb.of(s.loss(), s.cost());
    AcquisitionOptimizer opt = new AcquisitionOptimizer(300, 3, 100);
    double[] lossOnly = p.encoding().fromUnit(opt.minimize(u -> acq.value(u, 0.0), 3, r));
    double[] costOnly = p.encoding().fromUnit(opt.minimize(u -> acq.value(u, 1.0), 3, r));
    assertTrue(p.costOf(lossOnly) > 0.8, "λ = 0 picks wide widths: " + java.util.Arrays.toString(lossOnly));
    assertTrue(p.costOf(costOnly) < 0.35, "λ = 1 picks narrow widths: " + java.util.Arrays.toString(costOnly));
  }

  @Test
  void frontCandidatesPeelSuccessiveLayers() {
    WidthProposer p = proposer(0);
    JoslimHistory h = new JoslimHistory();
    double[][] alphas = {{0.5, 0.5, 0.5}, {0.6, 0.6, 0.6}, {0.7, 0.7, 0.7}, {0.8, 0.8, 0.8}, {0.8, 0.8, 0.8}};
    double[] losses = {1.0, 1.2, 0.8, 0.9, 0.7};
    for (int i = 0; i < alphas.length; i++) {
      h.add(new Visit(alphas[i], p.costOf(alphas[i]), losses[i], i, "warmup"));
    }
    h.add(new Visit(new double[] {0.9, 0.9, 0.9}, p.costOf(new double[] {0.9, 0.9, 0.9}), Double.NaN, 9, "gp"));
    List<JoslimFront.Candidate> one = JoslimFront.candidates(h, p, 1);
    List<String> got = one.stream().map(c -> c.source() + ":" + c.config().get(2)).toList();
    assertEquals(List.of("min:53", "history:64", "history:89", "history:102", "max:128"), got,
        "0.5 dominates 0.6; the 0.8 duplicate counts with its lower loss; unscored 0.9 is no candidate");
    assertEquals(0.7, one.get(3).storedLoss(), 0);
    List<JoslimFront.Candidate> two = JoslimFront.candidates(h, p, 2);
    assertEquals(List.of("min:53", "history:64", "history:76", "history:89", "history:102", "max:128"),
        two.stream().map(c -> c.source() + ":" + c.config().get(2)).toList());
  }

  @Test
  void paretoFrontKeepsNonDominatedPoints() {
    double[] loss = {1.0, 0.8, 0.9, 0.5, 0.5, Double.NaN, 0.2};
    double[] cost = {0.1, 0.3, 0.35, 0.6, 0.6, 0.05, 1.0};
    assertEquals(List.of(0, 1, 3, 6), ParetoFront.nonDominated(loss, cost));
  }
}
