package org.slimj.serve;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slimj.engine.infer.ImagePreprocessor;
import org.slimj.engine.infer.Prediction;

/**
 * An HTTP server on the loopback interface (the JDK's {@code com.sun.net.httpserver}) answering
 * {@code POST /predict} (see {@link ImageRequest}) through a {@link ServingLoop}, plus {@code GET
 * /health} and {@code GET /metrics}. Bodies larger than the limit get 413, malformed ones 400, a
 * full queue 503 with {@code Retry-After}, and a request not answered within the answer timeout
 * 504. {@link #close()} stops taking requests (503), answers the queued ones, then stops.
 */
public final class InferenceServer implements AutoCloseable {
  /**
   * Settings of a server.
   *
   * @param port TCP port on 127.0.0.1 (0: any free one)
   * @param maxBodyBytes largest request body
   * @param queueCapacity most requests waiting
   * @param answerTimeoutMs longest a request waits for its answer
   */
  public record Settings(int port, int maxBodyBytes, int queueCapacity, long answerTimeoutMs) {
    /** Checks the fields. */
    public Settings {
      if (port < 0 || port > 65535 || maxBodyBytes < 64 || queueCapacity < 1 || answerTimeoutMs < 1) {
        throw new IllegalArgumentException("server settings: expected port in [0, 65535], body limit >= 64 bytes,"
            + " queue >= 1, answer timeout >= 1 ms; found " + port + ", " + maxBodyBytes + ", " + queueCapacity + ", "
            + answerTimeoutMs);
      }
    }
  }

  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

  private final WidthFront front;
  private final ImagePreprocessor preprocessor;
  private final int classes;
  private final Settings settings;
  private final ServeMetrics metrics;
  private final ServingLoop loop;
  private final HttpServer http;
  private final ExecutorService handlers;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final String policyName;

  /**
   * Starts serving {@code front} with {@code runner} under {@code policy}; inputs are prepared by
   * {@code preprocessor}.
   *
   * @param times measured service times the loop updates (shared with the policy), or null
   * @throws IOException if the port cannot be bound
   */
  public InferenceServer(WidthFront front, BatchRunner runner, ImagePreprocessor preprocessor, int classes,
      WidthPolicy policy, ServiceTimes times, Settings settings) throws IOException {
    this.front = front;
    this.preprocessor = preprocessor;
    this.classes = classes;
    this.settings = settings;
    this.policyName = policy.getClass().getSimpleName();
    this.metrics = new ServeMetrics(front);
    this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port()), 128);
    this.loop = new ServingLoop(runner, policy, times, metrics, settings.queueCapacity(), System::nanoTime);
    this.handlers = Executors.newVirtualThreadPerTaskExecutor();
    http.setExecutor(handlers);
    http.createContext("/predict", this::predict);
    http.createContext("/health", this::health);
    http.createContext("/metrics", this::metricsPage);
    http.start();
  }

  /** The port the server listens on (on 127.0.0.1). */
  public int port() {
    return http.getAddress().getPort();
  }

  /** The metrics. */
  public ServeMetrics metrics() {
    return metrics;
  }

  private void predict(HttpExchange ex) throws IOException {
    long arrival = System.nanoTime();
    try (ex) {
      if (!"POST".equals(ex.getRequestMethod())) {
        send(ex, 405, error("POST a JSON body to /predict"));
        return;
      }
      metrics.request();
      if (closing.get()) {
        metrics.rejectedFull();
        send(ex, 503, error("the server is shutting down"));
        return;
      }
      String body = readBody(ex);
      if (body == null) {
        metrics.rejectedBad();
        send(ex, 413, error("request body larger than " + settings.maxBodyBytes() + " bytes"));
        return;
      }
      ImageRequest req;
      try {
        req = ImageRequest.parse(body, preprocessor, classes);
      } catch (IllegalArgumentException e) {
        metrics.rejectedBad();
        send(ex, 400, error(e.getMessage()));
        return;
      }
      Answer a;
      try {
        a = loop.submit(req.image(), arrival).get(settings.answerTimeoutMs(), TimeUnit.MILLISECONDS);
      } catch (QueueFullException e) {
        metrics.rejectedFull();
        ex.getResponseHeaders().set("Retry-After", "1");
        send(ex, 503, error(e.getMessage()));
        return;
      } catch (IllegalStateException e) {
        metrics.rejectedFull();
        send(ex, 503, error(e.getMessage()));
        return;
      } catch (TimeoutException e) {
        metrics.failed();
        send(ex, 504, error("no answer within " + settings.answerTimeoutMs() + " ms"));
        return;
      } catch (ExecutionException e) {
        metrics.failed();
        send(ex, 500, error("prediction failed: " + e.getCause()));
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        metrics.failed();
        send(ex, 503, error("interrupted"));
        return;
      }
      long done = System.nanoTime();
      metrics.answered(done - a.arrivalNanos());
      send(ex, 200, GSON.toJson(answer(a, req.top(), done)));
    }
  }

  private Map<String, Object> answer(Answer a, int top, long now) {
    Prediction p = a.prediction();
    float[] prob = p.probabilities(a.index());
    List<Map<String, Object>> tops = new ArrayList<>();
    for (int c : p.topK(a.index(), top)) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("class", c);
      t.put("probability", prob[c]);
      tops.add(t);
    }
    FrontPoint fp = front.get(a.point());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("class", p.argmax(a.index()));
    m.put("top", tops);
    m.put("config", fp.label());
    m.put("point", a.point());
    m.put("accuracy", fp.accuracy());
    m.put("batch", a.batch());
    m.put("queue_ms", (a.startNanos() - a.arrivalNanos()) / 1e6);
    m.put("service_ms", (a.doneNanos() - a.startNanos()) / 1e6);
    m.put("server_ms", (now - a.arrivalNanos()) / 1e6);
    return m;
  }

  private void health(HttpExchange ex) throws IOException {
    try (ex) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", closing.get() ? "shutting down" : "ok");
      m.put("policy", policyName);
      m.put("front", front.points().stream().map(FrontPoint::label).toList());
      m.put("queued", loop.queued());
      send(ex, closing.get() ? 503 : 200, GSON.toJson(m));
    }
  }

  private void metricsPage(HttpExchange ex) throws IOException {
    try (ex) {
      send(ex, 200, GSON.toJson(metrics.snapshot(loop.queued())));
    }
  }

  /** The body as UTF-8, or null when it is larger than the limit (nothing beyond the limit is read). */
  private String readBody(HttpExchange ex) throws IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > settings.maxBodyBytes()) {
          return null;
        }
      } catch (NumberFormatException e) {
        return null;
      }
    }
    try (InputStream in = ex.getRequestBody()) {
      byte[] b = in.readNBytes(settings.maxBodyBytes() + 1);
      return b.length > settings.maxBodyBytes() ? null : new String(b, StandardCharsets.UTF_8);
    }
  }

  private static String error(String message) {
    return GSON.toJson(Map.of("error", message));
  }

  private static void send(HttpExchange ex, int status, String json) throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(b);
    }
  }

  /**
   * Graceful shutdown: new requests get 503, queued ones are answered (up to {@code timeoutMs}),
   * then the listener and its handler threads stop.
   */
  public void close(long timeoutMs) {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    loop.close(timeoutMs);
    http.stop(1);
    handlers.shutdown();
    try {
      handlers.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@link #close(long)} with 10 s. */
  @Override
  public void close() {
    close(10_000);
  }
}
