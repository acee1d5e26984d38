package org.slimj.engine.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.engine.infer.ExportedNetwork;
import org.slimj.engine.io.SafetensorsFile;
import org.slimj.engine.io.SafetensorsWriter;
import org.slimj.engine.models.SmallCnn;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.tensor.Tensor;

/** A damaged exported network is rejected with a message naming the file, the field or tensor. */
class ExportValidationTest {
  @TempDir Path dir;

  private String json;

  @BeforeEach
  void export() throws IOException {
    SplittableRandom rng = new SplittableRandom(21);
    SmallCnn model = new SmallCnn(1, 12, 10, new int[] {8, 12, 16}, BnKind.SHARED, new double[] {1.0}, rng);
    ExportFixtures.randomizeBatchNorm(model, rng);
    float[][] norm = {{0.25f}, {0.5f}};
    ExportFiles.write(dir, Exporter.export(model, ChannelConfig.of(5, 7, 9), 1, 12, norm, Map.of()));
    json = Files.readString(dir.resolve("model.json"));
  }

  private String reject(String text) throws IOException {
    Files.writeString(dir.resolve("model.json"), text);
    ExportFormatException e = assertThrows(ExportFormatException.class, () -> ExportedNetwork.load(dir));
    assertTrue(e.getMessage().contains("model.json"), "names the file: " + e.getMessage());
    return e.getMessage();
  }

  private static void assertMentions(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), "expected '" + p + "' in: " + message);
    }
  }

  @Test
  void theWrittenFilesLoadAndDescribeTheExport() throws IOException {
    ExportedNetwork net = ExportedNetwork.load(dir);
    assertEquals(10, net.classes());
    assertEquals(0.5f, net.normalization()[1][0]);
    assertEquals(6, net.spec().layers().size(), "4 convs, pool, classifier: " + net.spec().layers());
  }

  @Test
  void badFieldsAreNamed() throws IOException {
    assertMentions(reject(json.replace("\"kernel\":3,\"stride\":2", "\"stride\":2")), "layers[1] (down.conv)",
        "missing field 'kernel'");
    assertMentions(reject(json.replace("\"kind\":\"depthwise\"", "\"kind\":\"dw\"")), "layers[2]", "kind", "'dw'");
    assertMentions(reject(json.replace("\"name\":\"dw.conv\",\"kind\":\"depthwise\",\"input\":1",
        "\"name\":\"dw.conv\",\"kind\":\"depthwise\",\"input\":4")), "layers[2] (dw.conv).input", "found 4");
    assertMentions(reject(json.replace("\"cin\":7,\"cout\":9", "\"cin\":6,\"cout\":9")), "layers[3] (pw.conv).cin",
        "7 channels");
    assertMentions(reject(json.replace("\"format\": \"slimj-exported-network\"", "\"format\": \"onnx\"")), "format",
        "onnx");
    assertMentions(reject(json.replace("\"version\": 1", "\"version\": 2")), "version");
    assertMentions(reject(json.replace("\"classes\": 10", "\"classes\": 11")), "classes", "[N, 11]");
    assertMentions(reject(json.replace("\"activation\":\"relu\"", "\"activation\":\"gelu\"")), "activation", "gelu");
    assertMentions(reject(json.replace("\"padding\":1", "\"padding\":1,\"dilation\":2")), "unknown field 'dilation'");
    assertMentions(reject(json.replace("\"kernel\":3,\"stride\":1,\"padding\":1", "\"kernel\":30,\"stride\":1,"
        + "\"padding\":1")), "kernel", "larger than the padded input");
    assertMentions(reject(json.replace("\"cin\":1,\"cout\":5", "\"cin\":1,\"cout\":1000000")),
        "layers[0] (stem.conv)", "values per image");
    assertMentions(reject(json.substring(0, json.length() / 2)), "model.json");
  }

  @Test
  void missingWrongAndExtraTensorsAreNamed() throws IOException {
    Map<String, Tensor> tensors;
    try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
      tensors = f.readAllTensors();
    }
    Map<String, Tensor> missing = new LinkedHashMap<>(tensors);
    missing.remove("pw.conv.bias");
    assertMentions(rejectTensors(missing), "model.safetensors", "'pw.conv.bias'", "bias of layers[3] pw.conv",
        "missing");
    Map<String, Tensor> wrong = new LinkedHashMap<>(tensors);
    wrong.put("dw.conv.weight", Tensor.zeros(7, 1, 3, 2));
    assertMentions(rejectTensors(wrong), "'dw.conv.weight'", "expected F32 [7, 1, 3, 3]", "[7, 1, 3, 2]");
    Map<String, Tensor> extra = new LinkedHashMap<>(tensors);
    extra.put("stem.bn.weight", Tensor.zeros(5));
    assertMentions(rejectTensors(extra), "'stem.bn.weight'", "not named");
    Map<String, Tensor> nan = new LinkedHashMap<>(tensors);
    Tensor w = Tensor.of(tensors.get("classifier.weight").toArray(), 10, 9);
    w.set(13, Float.NaN);
    nan.put("classifier.weight", w);
    assertMentions(rejectTensors(nan), "'classifier.weight'", "value 13", "finite");
    Map<String, Tensor> std = new LinkedHashMap<>(tensors);
    std.put("input.std", Tensor.of(new float[] {0f}, 1));
    assertMentions(rejectTensors(std), "'input.std'", "positive");
  }

  private String rejectTensors(Map<String, Tensor> tensors) throws IOException {
    SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of());
    ExportFormatException e = assertThrows(ExportFormatException.class, () -> ExportedNetwork.load(dir));
    return e.getMessage();
  }

  @Test
  void missingOrTruncatedFilesAreErrors() throws IOException {
    byte[] bytes = Files.readAllBytes(dir.resolve("model.safetensors"));
    Files.write(dir.resolve("model.safetensors"), java.util.Arrays.copyOf(bytes, bytes.length - 7));
    IOException e = assertThrows(IOException.class, () -> ExportedNetwork.load(dir));
    assertMentions(e.getMessage(), "model.safetensors");
    Files.delete(dir.resolve("model.json"));
    assertThrows(NoSuchFileException.class, () -> ExportedNetwork.load(dir));
  }

  @Test
  void exportingAnUncalibratedUniversalConfigurationIsAnError() {
    SmallCnn model = new SmallCnn(1, 12, 10, new int[] {8, 12, 16}, BnKind.UNIVERSAL, new double[] {1.0},
        new SplittableRandom(22));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Exporter.export(model, ChannelConfig.of(5, 7, 9), 1, 12, null, Map.of()));
    assertMentions(e.getMessage(), "stem.bn", "calibrate");
  }
}
