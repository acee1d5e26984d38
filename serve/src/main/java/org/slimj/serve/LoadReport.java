package org.slimj.serve;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The summary of a load test: objective attainment (share of all requests answered 200 within the
 * objective; refused, failed and late requests all miss), latency percentiles of the answered,
 * mean front accuracy and measured top-1 accuracy of the answers, throughput, and how many
 * requests each configuration served; in total and split into spike and base periods.
 */
public final class LoadReport {
  private LoadReport() {}

  /** The summary of {@code outcomes} of {@code trace} against objective {@code sloMs}, as a JSON-ready map. */
  public static Map<String, Object> summarize(List<LoadGenerator.Outcome> outcomes, BurstyTrace trace, double sloMs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("all", part(outcomes, sloMs, trace.seconds()));
    double spikeShare = trace.spikeSeconds() / trace.periodSeconds();
    m.put("spikes", part(outcomes.stream().filter(o -> trace.inSpike(o.scheduledNanos() / 1e9)).toList(), sloMs,
        trace.seconds() * spikeShare));
    m.put("base", part(outcomes.stream().filter(o -> !trace.inSpike(o.scheduledNanos() / 1e9)).toList(), sloMs,
        trace.seconds() * (1 - spikeShare)));
    return m;
  }

  private static Map<String, Object> part(List<LoadGenerator.Outcome> os, double sloMs, double seconds) {
    long slo = (long) (sloMs * 1e6);
    List<LoadGenerator.Outcome> ok = os.stream().filter(o -> o.status() == 200).toList();
    long[] lat = ok.stream().mapToLong(LoadGenerator.Outcome::latencyNanos).sorted().toArray();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("requests", os.size());
    m.put("answered", ok.size());
    m.put("refused_503", os.stream().filter(o -> o.status() == 503).count());
    m.put("failed", os.stream().filter(o -> o.status() != 200 && o.status() != 503).count());
    m.put("slo_attainment", os.isEmpty() ? null : ok.stream().filter(o -> o.latencyNanos() <= slo).count()
        / (double) os.size());
    m.put("p50_ms", quantileMs(lat, 0.5));
    m.put("p99_ms", quantileMs(lat, 0.99));
    m.put("max_ms", quantileMs(lat, 1.0));
    double acc = ok.stream().mapToDouble(LoadGenerator.Outcome::accuracy).filter(a -> !Double.isNaN(a)).average()
        .orElse(Double.NaN);
    m.put("mean_front_accuracy", Double.isNaN(acc) ? null : acc);
    m.put("top1_measured", ok.isEmpty() ? null : ok.stream().filter(o -> o.predicted() == o.label()).count()
        / (double) ok.size());
    m.put("throughput_per_s", seconds > 0 ? ok.size() / seconds : null);
    Map<String, Long> widths = new TreeMap<>();
    for (LoadGenerator.Outcome o : ok) {
      widths.merge(o.config(), 1L, Long::sum);
    }
    m.put("served_by", widths);
    return m;
  }

  private static Double quantileMs(long[] sorted, double q) {
    if (sorted.length == 0) {
      return null;
    }
    return LatencyWindow.nearestRank(sorted, q) / 1e6;
  }
}
