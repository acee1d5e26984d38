package org.slimj.serve;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a server counts for {@code /metrics}: requests by outcome, requests and batches per front
 * point (the width histogram) and the latencies of the latest answered requests.
 */
public final class ServeMetrics {
  private final WidthFront front;
  private final LongAdder requests = new LongAdder();
  private final LongAdder answered = new LongAdder();
  private final LongAdder rejectedFull = new LongAdder();
  private final LongAdder rejectedBad = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final AtomicLongArray perPoint;
  private final AtomicLongArray batchesPerPoint;
  private final LatencyWindow latency = new LatencyWindow(1 << 16);
  private final LatencyWindow service = new LatencyWindow(1 << 12);

  /** Metrics of a server over {@code front}. */
  public ServeMetrics(WidthFront front) {
    this.front = front;
    this.perPoint = new AtomicLongArray(front.size());
    this.batchesPerPoint = new AtomicLongArray(front.size());
  }

  /** A request arrived. */
  public void request() {
    requests.increment();
  }

  /** A request was answered {@code nanos} after it arrived. */
  public void answered(long nanos) {
    answered.increment();
    latency.add(nanos);
  }

  /** A request was refused because the queue was full. */
  public void rejectedFull() {
    rejectedFull.increment();
  }

  /** A request was refused as malformed or too large. */
  public void rejectedBad() {
    rejectedBad.increment();
  }

  /** A request failed inside the server. */
  public void failed() {
    failed.increment();
  }

  /** A batch of {@code size} ran at {@code point}. */
  void batch(int point, int size) {
    perPoint.addAndGet(point, size);
    batchesPerPoint.incrementAndGet(point);
  }

  /** A batch's service time. */
  void serviceTime(long nanos) {
    service.add(nanos);
  }

  /** Requests answered so far. */
  public long answeredCount() {
    return answered.sum();
  }

  /** The metrics as a JSON-ready map. */
  public Map<String, Object> snapshot(int queued) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("requests", requests.sum());
    m.put("answered", answered.sum());
    m.put("rejected_queue_full", rejectedFull.sum());
    m.put("rejected_bad_request", rejectedBad.sum());
    m.put("failed", failed.sum());
    m.put("queued", queued);
    Map<String, Object> widths = new LinkedHashMap<>();
    for (int i = 0; i < front.size(); i++) {
      Map<String, Object> w = new LinkedHashMap<>();
      w.put("requests", perPoint.get(i));
      w.put("batches", batchesPerPoint.get(i));
      w.put("accuracy", front.get(i).accuracy());
      w.put("table_latency_ms", front.get(i).latencyMs());
      widths.put(front.get(i).label(), w);
    }
    m.put("width_histogram", widths);
    m.put("latency_ms", percentiles(latency));
    m.put("batch_service_ms", percentiles(service));
    return m;
  }

  private static Map<String, Object> percentiles(LatencyWindow w) {
    double[] q = w.quantiles(0.5, 0.9, 0.99, 1.0);
    Map<String, Object> l = new LinkedHashMap<>();
    l.put("window", Math.min(w.count(), 1 << 16));
    String[] names = {"p50", "p90", "p99", "max"};
    for (int i = 0; i < q.length; i++) {
      l.put(names[i], Double.isNaN(q[i]) ? null : q[i] / 1e6);
    }
    return l;
  }
}
