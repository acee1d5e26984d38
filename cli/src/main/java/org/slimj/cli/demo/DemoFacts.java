package org.slimj.cli.demo;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Markdown tables of the demo's latency tables, their validation, and the multi-platform result. */
public final class DemoFacts {
  private DemoFacts() {}

  /** One row per platform: provenance, fitted scale and fixed term, and the end-to-end validation MAPE. */
  public static String platforms(Path dir, List<String> names) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("| platform | backend | threads | clock | CPU | JVM | fitted scale | fixed term (ms) |"
        + " validation configs | MAPE (%) |\n|---|---|---|---|---|---|---|---|---|---|\n");
    String method = "";
    for (String n : names) {
      JsonObject t = object(dir.resolve(n + ".json"));
      JsonObject p = t.getAsJsonObject("provenance");
      JsonObject v = object(dir.resolve(n + "-validation.json"));
      method = p.get("method").getAsString();
      md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %.3f | %.4f | %d | %.1f |%n", n,
          p.get("backend").getAsString(), p.get("threads").getAsInt(), p.get("clock").getAsString(),
          p.get("cpu").getAsString(), p.get("jvm").getAsString(), t.get("scale").getAsDouble(),
          t.get("fixed_ms").getAsDouble(), v.getAsJsonArray("results").size(), v.get("mape_percent").getAsDouble()));
    }
    md.append("\nPredicted latency = scale × Σ per-layer entries (bilinear on each layer signature's (cin, cout) grid)"
        + " + fixed term; MAPE = mean absolute percentage error of the prediction against end-to-end measurements of"
        + " random configurations. Method: ").append(method).append('\n');
    return md.toString();
  }

  /** The multi-platform search: each platform's share, configuration and held-out accuracy, and the objective. */
  public static String multiPlatform(Path file) throws IOException {
    JsonObject d = object(file);
    StringBuilder md = new StringBuilder();
    md.append("| platform result | channels | validation accuracy (%) | share |\n|---|---|---|---|\n");
    for (JsonElement e : d.getAsJsonArray("results")) {
      JsonObject r = e.getAsJsonObject();
      JsonObject how = r.getAsJsonObject("how");
      String share = how != null && how.has("share") ? String.format(Locale.ROOT, "%.3f", how.get("share").getAsDouble()) : "";
      md.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %s |%n", r.get("label").getAsString(),
          r.get("config").toString(), 100 * r.get("score").getAsDouble(), share));
    }
    JsonObject settings = d.getAsJsonObject("settings");
    for (String k : new String[] {"weighted_val_top1", "shares_from", "crp_alpha"}) {
      JsonElement v = settings.get(k) != null ? settings.get(k) : d.get(k);
      if (v != null && !v.isJsonNull()) {
        md.append("\n- ").append(k).append(": ").append(v);
      }
    }
    md.append('\n');
    return md.toString();
  }

  /** Targets a search could not reach (below the cheapest configuration it may use), per result file. */
  public static String unreached(Path dir, List<String> searches) throws IOException {
    StringBuilder md = new StringBuilder();
    for (String n : searches) {
      JsonObject d = object(dir.resolve(n + ".json"));
      JsonElement u = d.get("unreached");
      if (u != null && u.isJsonArray() && !u.getAsJsonArray().isEmpty()) {
        md.append("- ").append(n).append(": ");
        List<String> items = new java.util.ArrayList<>();
        u.getAsJsonArray().forEach(e -> items.add(e.getAsString()));
        md.append(String.join("; ", items)).append('\n');
      }
    }
    return md.length() == 0 ? "Every target was reached.\n" : md.toString();
  }

  private static JsonObject object(Path f) throws IOException {
    try {
      return JsonParser.parseString(Files.readString(f)).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new IllegalArgumentException(f + ": not the expected JSON object (" + e.getMessage() + ")", e);
    }
  }
}
