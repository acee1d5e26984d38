package org.slimj.cli.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slimj.cli.CliRun.run;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.cli.CliRun;
import org.slimj.engine.io.Checkpoint;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.serve.BurstyTrace;

/** serve and loadtest end to end on 127.0.0.1 (ephemeral port), over a small network. */
class ServeCommandTest {
  private static Path waitForPort(Path portFile, CompletableFuture<CliRun> server) throws Exception {
    for (int i = 0; i < 600 && !Files.exists(portFile); i++) {
      if (server.isDone()) {
        CliRun r = server.get();
        throw new AssertionError("serve ended before listening: " + r.err() + r.out());
      }
      Thread.sleep(50);
    }
    assertTrue(Files.exists(portFile), "serve did not write its port within 30 s");
    return portFile;
  }

  @Test
  void servesAFrontAndHoldsUpUnderALoadTest(@TempDir Path dir) throws Exception {
    // a small untrained network is enough to serve (shared BN: nothing to calibrate)
    ModelSpec spec = new ModelSpec("smallcnn", 1.0, 1, 28, 10, BnKind.SHARED, new double[] {0.5, 1.0});
    Path file = dir.resolve("checkpoint.safetensors");
    Checkpoint.save(file, spec, spec.build(new SplittableRandom(5)), null,
        Map.of("data.option", "sample", "data.mean", "[0.286]", "data.std", "[0.353]"));
    String ckpt = file.toString();
    Path front = dir.resolve("front.json");
    Files.writeString(front, """
        {"results": [
          {"label": "small", "config": [5, 19, 33], "costs": {"latency:t": 0.05}, "score": 0.4, "score_name": "val_top1_error"},
          {"label": "full", "config": [16, 32, 64], "costs": {"latency:t": 0.2}, "score": 0.3, "score_name": "val_top1_error"}]}
        """);
    Path portFile = dir.resolve("port");
    BurstyTrace trace = new BurstyTrace(40, 3, 1, 0.5, 1, 3);
    int n = trace.arrivals().length + 2;
    CompletableFuture<CliRun> server = CompletableFuture.supplyAsync(() -> run("serve", "--checkpoint", ckpt, "--front",
        front.toString(), "--slo-ms", "2000", "--port", "0", "--port-file", portFile.toString(), "--max-requests",
        Integer.toString(n), "--max-seconds", "60", "--warmup-rounds", "4", "--threads", "1"));
    int port = Integer.parseInt(Files.readString(waitForPort(portFile, server)).trim());
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode(), health.body());
    assertTrue(health.body().contains("\"small\"") && health.body().contains("\"full\""), health.body());
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/predict"))
          .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString("{\"image\": ["
              + "0.5,".repeat(28 * 28 - 1) + "0.5]}")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      JsonObject o = JsonParser.parseString(r.body()).getAsJsonObject();
      assertEquals("full", o.get("config").getAsString(), "an idle server with a 2 s objective runs the widest: " + r.body());
    }
    Path report = dir.resolve("load.json");
    CliRun load = run("loadtest", "--url", "http://127.0.0.1:" + port, "--rate", "40", "--spike-factor", "3",
        "--period", "1", "--spike-seconds", "0.5", "--seconds", "1", "--seed", "3", "--slo-ms", "2000", "--out",
        report.toString());
    assertEquals(0, load.code(), load.err() + load.out());
    JsonObject all = JsonParser.parseString(Files.readString(report)).getAsJsonObject().getAsJsonObject("all");
    assertEquals(n - 2, all.get("requests").getAsInt(), all.toString());
    assertEquals(n - 2, all.get("answered").getAsInt(), all.toString());
    CliRun s = server.get(60, TimeUnit.SECONDS);
    assertEquals(0, s.code(), s.err());
    String[] lines = s.out().strip().split("\n");
    JsonObject metrics = JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
    assertEquals(n, metrics.get("answered").getAsInt(), s.out());
  }

  @Test
  void refusesWhatItCannotServe(@TempDir Path dir) throws Exception {
    CliRun remote = run("loadtest", "--url", "http://10.1.2.3:80", "--rate", "1", "--seconds", "1");
    assertNotEquals(0, remote.code());
    assertTrue(remote.err().contains("not a loopback address"), remote.err());
    CliRun long1 = run("loadtest", "--url", "http://127.0.0.1:9", "--rate", "1", "--seconds", "601");
    assertNotEquals(0, long1.code());
    assertTrue(long1.err().contains("600"), long1.err());
    Path front = dir.resolve("front.json");
    Files.writeString(front, "{\"results\": [{\"label\": \"a\", \"config\": [1], \"costs\": {}, \"score\": 0.5}]}");
    Path model = dir.resolve("missing");
    CliRun both = run("serve", "--model", model.toString(), "--front", front.toString(), "--port", "0");
    assertNotEquals(0, both.code());
  }
}
