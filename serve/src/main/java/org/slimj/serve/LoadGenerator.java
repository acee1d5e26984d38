package org.slimj.serve;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load generator for {@code /predict} on this machine only: requests go out at the
 * trace's arrival times whether or not earlier ones were answered (no coordinated omission: a
 * request's latency counts from its scheduled time). The target must be a loopback address; the
 * number of requests, the time and the requests in flight are bounded.
 */
public final class LoadGenerator {
  /**
   * One request body and the true class of its image.
   *
   * @param body JSON body of {@code POST /predict}
   * @param label true class
   */
  public record Sample(String body, int label) {}

  /**
   * What happened to one request.
   *
   * @param scheduledNanos its arrival time in the trace
   * @param latencyNanos scheduled time to answer (or failure)
   * @param status HTTP status; 0 no answer (connection failed or timed out), -1 not sent (the
   *     in-flight bound was reached)
   * @param label true class
   * @param predicted predicted class (-1 without a 200)
   * @param config label of the configuration that served it (null without a 200)
   * @param accuracy the front accuracy of that configuration (NaN without a 200 or when unknown)
   */
  public record Outcome(long scheduledNanos, long latencyNanos, int status, int label, int predicted, String config,
      double accuracy) {}

  private LoadGenerator() {}

  /**
   * Checks that {@code target} is an {@code http} URI of a loopback address.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static void requireLoopback(URI target) {
    if (!"http".equals(target.getScheme()) || target.getHost() == null) {
      throw new IllegalArgumentException("load target: expected http://127.0.0.1:PORT, found " + target);
    }
    try {
      for (InetAddress a : InetAddress.getAllByName(target.getHost())) {
        if (!a.isLoopbackAddress()) {
          throw new IllegalArgumentException("load target " + target + ": " + a + " is not a loopback address; the load"
              + " generator only sends to this machine (127.0.0.1)");
        }
      }
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("load target " + target + ": unknown host", e);
    }
  }

  /**
   * Sends {@code samples} (cycled) to {@code target}'s {@code /predict} at times {@code arrivals}
   * (ns from now) and waits for every answer, at most {@code timeout} after the last arrival.
   *
   * @param maxInFlight most requests outstanding; an arrival beyond it is recorded as not sent
   */
  public static List<Outcome> run(URI target, long[] arrivals, List<Sample> samples, int maxInFlight,
      Duration timeout) throws InterruptedException {
    requireLoopback(target);
    if (samples.isEmpty() || maxInFlight < 1 || arrivals.length > BurstyTrace.MAX_ARRIVALS) {
      throw new IllegalArgumentException("load generator: expected samples, in-flight bound >= 1 and at most "
          + BurstyTrace.MAX_ARRIVALS + " arrivals; found " + samples.size() + ", " + maxInFlight + ", " + arrivals.length);
    }
    URI predict = target.resolve("/predict");
    ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "slimj-load");
      t.setDaemon(true);
      return t;
    });
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(pool)
        .connectTimeout(Duration.ofSeconds(5)).build();
    Outcome[] out = new Outcome[arrivals.length];
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    AtomicInteger inFlight = new AtomicInteger();
    long start = System.nanoTime();
    try {
      for (int i = 0; i < arrivals.length; i++) {
        long due = start + arrivals[i];
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        Sample s = samples.get(i % samples.size());
        if (inFlight.get() >= maxInFlight) {
          out[i] = new Outcome(arrivals[i], 0, -1, s.label(), -1, null, Double.NaN);
          continue;
        }
        inFlight.incrementAndGet();
        int k = i;
        HttpRequest req = HttpRequest.newBuilder(predict).timeout(timeout)
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(s.body())).build();
        pending.add(client.sendAsync(req, HttpResponse.BodyHandlers.ofString()).handle((r, e) -> {
          long latency = System.nanoTime() - due;
          inFlight.decrementAndGet();
          out[k] = e != null ? new Outcome(arrivals[k], latency, 0, s.label(), -1, null, Double.NaN)
              : outcome(arrivals[k], latency, r, s.label());
          return null;
        }));
      }
      CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]))
          .get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("load generator: " + e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("load generator: answers still missing " + timeout.toSeconds()
          + " s after the last request", e);
    } finally {
      client.shutdownNow();
      pool.shutdownNow();
    }
    return List.of(out);
  }

  private static Outcome outcome(long scheduled, long latency, HttpResponse<String> r, int label) {
    if (r.statusCode() != 200) {
      return new Outcome(scheduled, latency, r.statusCode(), label, -1, null, Double.NaN);
    }
    try {
      JsonObject o = JsonParser.parseString(r.body()).getAsJsonObject();
      double acc = o.has("accuracy") && !o.get("accuracy").isJsonNull() ? o.get("accuracy").getAsDouble() : Double.NaN;
      return new Outcome(scheduled, latency, 200, label, o.get("class").getAsInt(), o.get("config").getAsString(), acc);
    } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
      throw new IllegalStateException("load generator: the server's answer is not the expected JSON: " + r.body(), e);
    }
  }
}
