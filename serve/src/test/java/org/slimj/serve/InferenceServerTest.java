package org.slimj.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.slimj.engine.infer.ImagePreprocessor;
import org.slimj.engine.infer.Prediction;
import org.slimj.engine.infer.Predictor;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.tensor.Tensor;

/** The HTTP server on 127.0.0.1 (ephemeral port) with a stand-in network: 4 classes, 1 x 2 x 2 images. */
class InferenceServerTest {
  private static final WidthFront FRONT = WidthFront.of(List.of(
      new FrontPoint("narrow", ChannelConfig.of(1), 0.6, 0.01), new FrontPoint("wide", ChannelConfig.of(2), 0.8, 0.02)));

  /** Class = index of the largest of the 4 pixels; inputs normalised with mean 0.5, std 0.5. */
  private static final Predictor NET = new Predictor() {
    @Override
    public int[] inputShape() {
      return new int[] {1, 2, 2};
    }

    @Override
    public int classes() {
      return 4;
    }

    @Override
    public float[][] normalization() {
      return new float[][] {{0.5f}, {0.5f}};
    }

    @Override
    public ChannelConfig defaultConfig() {
      return ChannelConfig.of(2);
    }

    @Override
    public Prediction predict(Tensor images, ChannelConfig cfg) {
      return Prediction.ofLogits(images.dim(0), 4, images.toArray());
    }
  };

  private static final ImagePreprocessor PRE = ImagePreprocessor.of(NET);
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private InferenceServer server(BatchRunner runner, int queue) throws Exception {
    ServiceTimes t = new ServiceTimes(FRONT, 0.2);
    return new InferenceServer(FRONT, runner, PRE, 4, new SlackFitPolicy(t, 1_000_000_000L, 0, 4, 2), t,
        new InferenceServer.Settings(0, 4096, queue, 10_000));
  }

  private HttpResponse<String> post(int port, String body) throws Exception {
    return client.send(request(port, "/predict").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private CompletableFuture<HttpResponse<String>> postAsync(int port, String body) {
    return client.sendAsync(request(port, "/predict").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return client.send(request(port, path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20));
  }

  private static JsonObject json(HttpResponse<String> r) {
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  @Test
  void answersImagesPixelsAndPngAndCountsThem() throws Exception {
    try (InferenceServer s = server(BatchRunner.of(NET, FRONT, PRE), 8)) {
      HttpResponse<String> r = post(s.port(), "{\"image\": [[0.1, 0.9], [0.3, 0.2]], \"top\": 2}");
      assertEquals(200, r.statusCode(), r.body());
      JsonObject o = json(r);
      assertEquals(1, o.get("class").getAsInt(), r.body());
      assertEquals("wide", o.get("config").getAsString(), r.body());
      assertEquals(2, o.getAsJsonArray("top").size());
      assertEquals(3, json(post(s.port(), "{\"pixels\": [0, 1, 2, 255]}")).get("class").getAsInt());
      BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
      img.getRaster().setSample(0, 1, 0, 200);
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ImageIO.write(img, "png", png);
      String b64 = Base64.getEncoder().encodeToString(png.toByteArray());
      assertEquals(2, json(post(s.port(), "{\"png\": \"" + b64 + "\"}")).get("class").getAsInt());

      assertEquals(400, post(s.port(), "{\"image\": [0.1, 0.2]}").statusCode());
      assertEquals(400, post(s.port(), "{\"image\": [0.1, 0.2, 0.3, 1.5]}").statusCode());
      assertEquals(400, post(s.port(), "not json").statusCode());
      assertEquals(413, post(s.port(), "{\"image\": [" + "0,".repeat(3000) + "0]}").statusCode());
      assertEquals(405, get(s.port(), "/predict").statusCode());

      assertEquals(200, get(s.port(), "/health").statusCode());
      JsonObject m = json(get(s.port(), "/metrics"));
      assertEquals(3, m.get("answered").getAsLong(), m.toString());
      assertEquals(4, m.get("rejected_bad_request").getAsLong(), m.toString());
      assertEquals(3, m.getAsJsonObject("width_histogram").getAsJsonObject("wide").get("requests").getAsLong());
      assertTrue(m.getAsJsonObject("latency_ms").get("p99").getAsDouble() > 0, m.toString());
    }
  }

  @Test
  void aFullQueueAnswers503AndShutdownAnswersWhatWasQueued() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    BatchRunner slow = (images, point) -> {
      started.countDown();
      try {
        assertTrue(release.await(20, TimeUnit.SECONDS), "never released");
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return NET.predict(PRE.batch(images), FRONT.get(point).config());
    };
    InferenceServer s = server(slow, 1);
    int port = s.port();
    String body = "{\"image\": [0.9, 0.1, 0.1, 0.1]}";
    CompletableFuture<HttpResponse<String>> first = postAsync(port, body);
    assertTrue(started.await(20, TimeUnit.SECONDS));
    CompletableFuture<HttpResponse<String>> queued = postAsync(port, body);
    for (int i = 0; i < 200 && json(get(port, "/health")).get("queued").getAsInt() < 1; i++) {
      Thread.sleep(10);
    }
    HttpResponse<String> full = post(port, body);
    assertEquals(503, full.statusCode(), full.body());
    assertTrue(full.body().contains("queue full"), full.body());
    assertEquals("1", full.headers().firstValue("Retry-After").orElse(""));

    CompletableFuture<Void> closed = CompletableFuture.runAsync(s::close);
    Thread.sleep(50);
    release.countDown();
    closed.get(20, TimeUnit.SECONDS);
    assertEquals(200, first.get(20, TimeUnit.SECONDS).statusCode());
    assertEquals(200, queued.get(20, TimeUnit.SECONDS).statusCode());
    assertThrows(Exception.class, () -> get(port, "/health"));
  }
}
