package org.slimj.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.engine.infer.ImagePreprocessor;
import org.slimj.engine.infer.Prediction;
import org.slimj.engine.infer.Predictor;
import org.slimj.engine.infer.SlimPredictor;
import org.slimj.engine.io.Checkpoint;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.nn.slim.BnKind;

/**
 * The README's "Use slimj from your code" example, compiled and run: the code between the
 * {@code README} markers is the README's, line for line.
 */
class EmbeddingExampleTest {
  @TempDir Path dir;

  @Test
  void theReadmeExampleRuns() throws Exception {
    // a small checkpoint, as ./slimj train writes them (shared BN, widths 0.5 and 1.0, normalization recorded)
    ModelSpec spec = new ModelSpec("smallcnn", 1.0, 1, 28, 10, BnKind.SHARED, new double[] {0.5, 1.0});
    Path checkpoint = dir.resolve("checkpoint.safetensors");
    Checkpoint.save(checkpoint, spec, spec.build(new SplittableRandom(7)), null,
        Map.of("data.mean", "[0.286]", "data.std", "[0.353]"));
    byte[] pixels = new byte[28 * 28]; // one 28 x 28 gray image, 0..255

    // README: begin
    try (SlimPredictor net = Predictor.checkpoint(checkpoint, "auto", 2, SlimPredictor.Calibration.TRAINING_STATISTICS)) {
      ImagePreprocessor pre = ImagePreprocessor.of(net);          // scaling and the checkpoint's normalization
      float[] image = pre.fromPixels(pixels);
      Prediction wide = net.predict(pre.batch(image), 1.0);          // full width
      Prediction narrow = net.predict(pre.batch(image), 0.5);        // half the channels, same weights
      int best = wide.argmax(0);
      float[] probabilities = narrow.probabilities(0);
      // README: end
      assertTrue(best >= 0 && best < 10);
      assertEquals(10, probabilities.length);
    }
  }

  @Test
  void theReadmeShowsTheCodeOfThisTest() throws Exception {
    List<String> test = block(java.nio.file.Files.readAllLines(
        Path.of("src/test/java/org/slimj/serve/EmbeddingExampleTest.java")), "// README: begin", "// README: end");
    List<String> readme = java.nio.file.Files.readAllLines(Path.of("..", "README.md")).stream().map(String::strip)
        .toList();
    int at = readme.indexOf(test.get(0));
    assertTrue(at >= 0, "README.md lacks the example's first line: " + test.get(0));
    assertEquals(test, readme.subList(at, at + test.size()), "README.md's example differs from this test's");
  }

  private static List<String> block(List<String> lines, String begin, String end) {
    List<String> s = lines.stream().map(String::strip).toList();
    return s.subList(s.indexOf(begin) + 1, s.indexOf(end));
  }

  @Test
  void theServingExampleRuns() throws Exception {
    ModelSpec spec = new ModelSpec("smallcnn", 1.0, 1, 28, 10, BnKind.SHARED, new double[] {0.5, 1.0});
    Path checkpoint = dir.resolve("checkpoint.safetensors");
    Checkpoint.save(checkpoint, spec, spec.build(new SplittableRandom(8)), null, Map.of());

    // README serve: begin
    try (SlimPredictor net = Predictor.checkpoint(checkpoint, "auto", 1, SlimPredictor.Calibration.TRAINING_STATISTICS)) {
      WidthFront front = WidthFront.of(List.of(                      // or WidthFront.read(searchResult, null)
          new FrontPoint("half", net.configAt(0.5), 0.80, 0.2),      // label, configuration, accuracy, ms/image
          new FrontPoint("full", net.configAt(1.0), 0.85, 0.6)));
      ImagePreprocessor pre = ImagePreprocessor.of(net);
      ServiceTimes times = new ServiceTimes(front, 0.1);
      WidthPolicy policy = new SlackFitPolicy(times, 20_000_000L, 2_000_000L, 16, 4);   // 20 ms objective
      try (InferenceServer server = new InferenceServer(front, BatchRunner.of(net, front, pre), pre, net.classes(),
          policy, times, new InferenceServer.Settings(0, 1 << 20, 512, 30_000))) {
        int port = server.port();                                     // POST http://127.0.0.1:port/predict
        // README serve: end
        assertTrue(port > 0);
      }
    }
  }
}
