package org.slimj.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns JMH's JSON results ({@code -rf json}) of {@link LayerBench} into the JSON of {@code ./slimj
 * bench layers --json} (../shared/perf/LAYERS.md), so that the comparison scripts read either:
 * {@code {"results": [{"layer", "frac", "backend", "threads", "pass", "median_ms", "gflops"}]}}.
 * The median is JMH's 50th percentile of the measurement iterations; other benchmarks in the file
 * are skipped.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar org.slimj.bench.JmhLayers results.json} or
 * {@code ./slimj bench jmh-layers results.json}.
 */
public final class JmhLayers {
  private JmhLayers() {}

  private static final String PREFIX = LayerBench.class.getName() + ".";

  /** The LAYERS.md document for the JMH results in {@code jmhJson}. */
  public static Map<String, Object> convert(String jmhJson) {
    JsonElement root;
    try {
      root = JsonParser.parseString(jmhJson);
    } catch (JsonParseException e) {
      throw new IllegalArgumentException("JMH results: not JSON (" + e.getMessage() + ")", e);
    }
    if (!root.isJsonArray()) {
      throw new IllegalArgumentException("JMH results: expected a JSON array (JMH's -rf json), found " + kind(root));
    }
    List<Map<String, Object>> results = new ArrayList<>();
    for (JsonElement e : root.getAsJsonArray()) {
      JsonObject r = e.getAsJsonObject();
      String benchmark = string(r, "benchmark");
      if (!benchmark.startsWith(PREFIX)) {
        continue;
      }
      String method = benchmark.substring(PREFIX.length());
      boolean withBackward = switch (method) {
        case "forward" -> false;
        case "forwardBackward" -> true;
        default -> throw new IllegalArgumentException("JMH results: unknown LayerBench method '" + method + "'");
      };
      JsonObject params = object(r, "params");
      ReferenceLayer layer = ReferenceLayer.byKey(string(params, "layer"));
      double frac = Double.parseDouble(string(params, "frac"));
      int batch = Integer.parseInt(string(params, "batch"));
      JsonObject metric = object(r, "primaryMetric");
      double ms = millisPerOp(object(metric, "scorePercentiles").get("50.0").getAsDouble(), string(metric, "scoreUnit"));
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("layer", layer.name());
      out.put("frac", frac);
      out.put("backend", string(params, "backend"));
      out.put("threads", Integer.parseInt(string(params, "threads")));
      out.put("pass", withBackward ? "forward_backward" : "forward");
      out.put("median_ms", Math.round(ms * 1e4) / 1e4);
      out.put("gflops", Math.round(layer.flops(batch, frac, withBackward) / (ms * 1e-3) / 1e9 * 100) / 100.0);
      results.add(out);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("results", results);
    return doc;
  }

  /** Milliseconds per operation of a JMH score in {@code unit} (time per op, or ops per time). */
  static double millisPerOp(double score, String unit) {
    String[] p = unit.split("/");
    if (p.length != 2) {
      throw new IllegalArgumentException("JMH results: unknown score unit '" + unit + "'");
    }
    if (p[1].equals("op")) {
      return score * millis(p[0], unit);
    }
    if (p[0].equals("ops")) {
      return millis(p[1], unit) / score;
    }
    throw new IllegalArgumentException("JMH results: unknown score unit '" + unit + "'");
  }

  private static double millis(String timeUnit, String unit) {
    return switch (timeUnit) {
      case "ns" -> 1e-6;
      case "us" -> 1e-3;
      case "ms" -> 1.0;
      case "s" -> 1e3;
      case "min" -> 6e4;
      default -> throw new IllegalArgumentException("JMH results: unknown time unit in '" + unit + "'");
    };
  }

  private static String string(JsonObject o, String key) {
    JsonElement e = o.get(key);
    if (e == null || !e.isJsonPrimitive()) {
      throw new IllegalArgumentException("JMH results: expected a value for '" + key + "' in " + o);
    }
    return e.getAsString();
  }

  private static JsonObject object(JsonObject o, String key) {
    JsonElement e = o.get(key);
    if (e == null || !e.isJsonObject()) {
      throw new IllegalArgumentException("JMH results: expected an object for '" + key + "', found " + kind(e));
    }
    return e.getAsJsonObject();
  }

  private static String kind(JsonElement e) {
    return e == null ? "nothing" : e.isJsonArray() ? "an array" : e.isJsonObject() ? "an object" : e.toString();
  }

  /** Prints the LAYERS.md JSON of the JMH results file {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: JmhLayers JMH_RESULTS.json");
    }
    System.out.println(new GsonBuilder().disableHtmlEscaping().create().toJson(convert(Files.readString(Path.of(args[0])))));
  }
}
