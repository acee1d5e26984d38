package org.slimj.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntBinaryOperator;

/**
 * A single-worker server on a simulated clock (nanoseconds): requests arrive at given times, the
 * policy picks each batch, a batch takes the time {@code serviceNanos(point, batch)} says, and the
 * measured time is fed back to the {@link ServiceTimes} (when given). No threads, no real time.
 */
final class SimulatedServer {
  /** What happened to one request. */
  record Served(long arrival, long done, int point) {
    long latency() {
      return done - arrival;
    }
  }

  private SimulatedServer() {}

  static List<Served> run(long[] arrivals, WidthPolicy policy, ServiceTimes times, IntBinaryOperator serviceNanos) {
    List<Served> out = new ArrayList<>();
    long now = 0;
    int head = 0;
    int arrived = 0;
    while (head < arrivals.length) {
      while (arrived < arrivals.length && arrivals[arrived] <= now) {
        arrived++;
      }
      if (arrived == head) {
        now = arrivals[arrived];
        continue;
      }
      long[] queue = java.util.Arrays.copyOfRange(arrivals, head, arrived);
      WidthPolicy.Decision d = policy.decide(now, queue, queue.length);
      long t = serviceNanos.applyAsInt(d.point(), d.batch());
      if (times != null) {
        times.observe(d.point(), d.batch(), t);
      }
      now += t;
      for (int i = 0; i < d.batch(); i++) {
        out.add(new Served(arrivals[head + i], now, d.point()));
      }
      head += d.batch();
    }
    return out;
  }

  static double attainment(List<Served> served, long sloNanos) {
    return served.stream().filter(s -> s.latency() <= sloNanos).count() / (double) served.size();
  }

  static double meanAccuracy(List<Served> served, WidthFront front) {
    return served.stream().mapToDouble(s -> front.get(s.point()).accuracy()).average().orElse(Double.NaN);
  }
}
