package org.slimj.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JMH's JSON results to the JSON of {@code bench layers}. */
class JmhLayersTest {

  private static String result(String benchmark, String params, double p50, String unit) {
    return "{\"jmhVersion\":\"1.37\",\"benchmark\":\"" + benchmark + "\",\"mode\":\"avgt\",\"threads\":1,"
        + "\"forks\":1,\"params\":{" + params + "},\"primaryMetric\":{\"score\":" + p50 + ",\"scoreError\":\"NaN\","
        + "\"scorePercentiles\":{\"0.0\":" + p50 + ",\"50.0\":" + p50 + ",\"100.0\":" + p50 + "},"
        + "\"scoreUnit\":\"" + unit + "\",\"rawData\":[[" + p50 + "]]},\"secondaryMetrics\":{}}";
  }

  @Test
  @SuppressWarnings("unchecked")
  void convertsLayerBenchResultsAndSkipsOthers() {
    String json = "[" + result("org.slimj.bench.LayerBench.forward",
        "\"backend\":\"vector\",\"batch\":\"64\",\"frac\":\"1.0\",\"layer\":\"pw96_576\",\"threads\":\"2\"", 0.5, "ms/op")
        + "," + result("org.slimj.bench.SgemmBench.sgemm", "\"backend\":\"vector\",\"threads\":\"1\",\"mnk\":\"8x8x8\"",
            3, "us/op")
        + "," + result("org.slimj.bench.LayerBench.forwardBackward",
            "\"backend\":\"scalar\",\"batch\":\"64\",\"frac\":\"0.5\",\"layer\":\"conv3_32\",\"threads\":\"1\"", 1250,
            "us/op")
        + "]";
    List<Map<String, Object>> rs = (List<Map<String, Object>>) JmhLayers.convert(json).get("results");
    assertEquals(2, rs.size());
    Map<String, Object> a = rs.get(0);
    assertEquals("pw 96->576 @8x8", a.get("layer"));
    assertEquals(1.0, a.get("frac"));
    assertEquals("vector", a.get("backend"));
    assertEquals(2, a.get("threads"));
    assertEquals("forward", a.get("pass"));
    assertEquals(0.5, a.get("median_ms"));
    double flops = 2.0 * 64 * 576 * 64 * 96;
    assertEquals(Math.round(flops / 0.5e-3 / 1e9 * 100) / 100.0, a.get("gflops"));
    Map<String, Object> b = rs.get(1);
    assertEquals("conv3x3 3->32 @32x32", b.get("layer"));
    assertEquals("forward_backward", b.get("pass"));
    assertEquals(1.25, b.get("median_ms"));
  }

  @Test
  void convertsUnits() {
    assertEquals(2.0, JmhLayers.millisPerOp(2000, "us/op"), 1e-12);
    assertEquals(0.5, JmhLayers.millisPerOp(2, "ops/ms"), 1e-12);
    assertEquals(4.0, JmhLayers.millisPerOp(250, "ops/s"), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> JmhLayers.millisPerOp(1, "furlongs"));
  }

  @Test
  void rejectsWhatIsNotAJmhResultArray() {
    assertThrows(IllegalArgumentException.class, () -> JmhLayers.convert("{\"results\": []}"));
    assertThrows(IllegalArgumentException.class, () -> JmhLayers.convert("not json ["));
  }
}
