package org.slimj.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Test;
import org.slimj.engine.nn.slim.ChannelConfig;

class SlackFitPolicyTest {
  private static final long MS = 1_000_000L;

  /** Four points: 1, 2, 4, 8 ms per image; accuracy 0.70 .. 0.85. */
  static WidthFront front() {
    return WidthFront.of(List.of(
        new FrontPoint("w1", ChannelConfig.of(1), 0.70, 1.0),
        new FrontPoint("w2", ChannelConfig.of(2), 0.78, 2.0),
        new FrontPoint("w3", ChannelConfig.of(3), 0.82, 4.0),
        new FrontPoint("w4", ChannelConfig.of(4), 0.85, 8.0)));
  }

  private static SlackFitPolicy policy(ServiceTimes t, long sloMs, int maxBatch) {
    return new SlackFitPolicy(t, sloMs * MS, 0, maxBatch, 4);
  }

  @Test
  void oneRequestWithAmpleSlackGetsTheWidestPoint() {
    ServiceTimes t = new ServiceTimes(front(), 0.2);
    WidthPolicy.Decision d = policy(t, 20, 8).decide(0, new long[] {0}, 1);
    assertEquals(new WidthPolicy.Decision(3, 1), d);
  }

  @Test
  void lessSlackGivesTheWidestPointThatStillFits() {
    ServiceTimes t = new ServiceTimes(front(), 0.2);
    // arrived 15 ms ago with a 20 ms objective: 5 ms left; 4 ms (w3) fits, 8 ms does not
    assertEquals(2, policy(t, 20, 8).decide(15 * MS, new long[] {0}, 1).point());
    // 1.5 ms left: only w1 fits
    assertEquals(0, policy(t, 20, 8).decide(18_500_000L, new long[] {0}, 1).point());
    // past the deadline: the fastest point, all of the queue up to the batch limit
    assertEquals(new WidthPolicy.Decision(0, 2), policy(t, 20, 2).decide(30 * MS, new long[] {0, 1, 2}, 3));
  }

  @Test
  void theQueueBehindTheBatchNarrowsTheChoice() {
    ServiceTimes t = new ServiceTimes(front(), 0.2);
    // with a 10 ms objective one request alone gets w4 (8 ms); with four more queued behind it
    // (batches of 1), w4 leaves them 8 + 1..4 ms at w1, past 10 ms; w3 leaves them 4 + 1..4: w3
    assertEquals(3, policy(t, 10, 1).decide(0, new long[] {0}, 1).point());
    assertEquals(2, policy(t, 10, 1).decide(0, new long[] {0, 0, 0, 0, 0}, 5).point());
    long[] late = {-10 * MS, -10 * MS, 0, 0};
    // batch of 2 arrived 10 ms ago: 10 ms left; 2 x 4 ms = 8 fits alone, but the next two (2 ms at w1)
    // must finish by 20 ms from now: 8 + 2 = 10 <= 20 fits, so w3
    assertEquals(new WidthPolicy.Decision(2, 2), policy(t, 20, 2).decide(0, late, 4));
  }

  @Test
  void measuredTimesReplaceTheTable() {
    WidthFront f = front();
    ServiceTimes t = new ServiceTimes(f, 0.5);
    assertEquals(8 * MS, t.predictNanos(3, 1));
    for (int i = 0; i < 20; i++) {
      t.observe(3, 1, 16 * MS);
    }
    assertEquals(16 * MS, t.predictNanos(3, 1), MS / 100);
    // a point never observed borrows the factor measured on others
    assertEquals(2 * MS, t.predictNanos(0, 1), MS / 100);
    // with 16 ms measured for w4, the 20 ms objective with 5 ms gone no longer fits it
    assertEquals(2, policy(t, 20, 8).decide(5 * MS, new long[] {0}, 1).point());
    assertThrows(IllegalArgumentException.class, () -> t.observe(4, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> t.predictNanos(0, 0));
  }

  /** Poisson arrivals at {@code rate}/s, {@code spike} times faster for 1 s of every 5, over {@code seconds}. */
  static long[] burstyTrace(double rate, double spike, int seconds, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    java.util.List<Long> out = new java.util.ArrayList<>();
    double t = 0;
    while (t < seconds) {
      double λ = (long) t % 5 == 2 ? rate * spike : rate;
      t += -Math.log(1 - r.nextDouble()) / λ;
      if (t < seconds) {
        out.add((long) (t * 1e9));
      }
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  @Test
  void underBurstsSlackFitHoldsTheObjectiveWhereTheWidestFixedPointMissesIt() {
    long seed = 11;
    WidthFront f = front();
    // true service: 1.5 x the table plus 0.5 ms per batch (the table is optimistic; the policy must learn it)
    IntBinaryOperator service = (p, b) -> (int) (1.5 * f.get(p).latencyMs() * MS * b + MS / 2);
    // 60 requests/s: the widest point (12.5 ms each) is busy 75% of the time; spikes of 5x swamp it
    long[] trace = burstyTrace(60, 5, 20, seed);
    long slo = 50 * MS;
    List<SimulatedServer.Served> widest = SimulatedServer.run(trace, new FixedWidthPolicy(3, 8), null, service);
    List<SimulatedServer.Served> narrowest = SimulatedServer.run(trace, new FixedWidthPolicy(0, 8), null, service);
    ServiceTimes t = new ServiceTimes(f, 0.2);
    List<SimulatedServer.Served> fit = SimulatedServer.run(trace, new SlackFitPolicy(t, slo, 2 * MS, 8, 4), t, service);
    double aWide = SimulatedServer.attainment(widest, slo);
    double aFit = SimulatedServer.attainment(fit, slo);
    double accFit = SimulatedServer.meanAccuracy(fit, f);
    double accNarrow = SimulatedServer.meanAccuracy(narrowest, f);
    String msg = String.format("seed %d, %d requests: widest %.4f, slack-fit %.4f (accuracy %.4f vs narrowest %.4f)",
        seed, trace.length, aWide, aFit, accFit, accNarrow);
    System.out.println("slack-fit simulation: " + msg);
    assertTrue(aWide < 0.9, msg);
    assertTrue(aFit >= 0.99, msg);
    assertTrue(accFit > accNarrow + 0.05, msg);
    // and it is deterministic: the same trace gives the same choices
    ServiceTimes t2 = new ServiceTimes(f, 0.2);
    assertEquals(fit, SimulatedServer.run(trace, new SlackFitPolicy(t2, slo, 2 * MS, 8, 4), t2, service), msg);
  }

  @Test
  void rejectsBadSettings() {
    ServiceTimes t = new ServiceTimes(front(), 0.2);
    assertThrows(IllegalArgumentException.class, () -> new SlackFitPolicy(t, 0, 0, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new SlackFitPolicy(t, MS, MS, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new SlackFitPolicy(t, MS, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> policy(t, 20, 8).decide(0, new long[] {0}, 2));
  }
}
