package org.slimj.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.nn.slim.ChannelConfig;

/**
 * Reads channel configurations from JSON files: a bare array, an object with a "config" array, or
 * one result of a search-result file ({@code FILE#LABEL} or {@code FILE#INDEX}, 0-based; the
 * selector may be left out when the file holds one result).
 */
public final class ConfigFiles {
  private ConfigFiles() {}

  /**
   * A configuration with the label a search gave it.
   *
   * @param label the result's label
   * @param config the configuration
   */
  public record Labeled(String label, ChannelConfig config) {}

  /** Every configuration of a search-result file ({@code {"results": [{"label", "config"}, ...]}}), in order. */
  public static List<Labeled> readResults(Path file) {
    return readResults(file, null);
  }

  /**
   * As {@link #readResults(Path)}, refusing a search result made for another model than {@code
   * expected} (architecture, maximum width, input or classes differ); null accepts any.
   */
  public static List<Labeled> readResults(Path file, ModelSpec expected) {
    String text;
    try {
      if (Files.size(file) > 1 << 24) {
        throw new IllegalArgumentException(file + ": search-result file larger than 16 MiB");
      }
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read search result (" + e.getMessage() + ")", e);
    }
    JsonArray rs;
    try {
      JsonElement root = org.slimj.search.io.StrictJson.parse(text, file.toString());
      if (!root.isJsonObject() || !root.getAsJsonObject().has("results") || !root.getAsJsonObject().get("results").isJsonArray()) {
        throw new IllegalArgumentException(file + ": expected a search result {\"results\": [{\"label\", \"config\"}, ...]}");
      }
      requireModel(file, root.getAsJsonObject(), expected);
      rs = root.getAsJsonObject().getAsJsonArray("results");
    } catch (JsonParseException | IllegalStateException e) {
      throw new IllegalArgumentException(file + ": not valid JSON (" + e.getMessage() + ")", e);
    }
    if (rs.isEmpty()) {
      throw new IllegalArgumentException(file + ": the search result holds no configurations");
    }
    List<Labeled> out = new ArrayList<>();
    for (int i = 0; i < rs.size(); i++) {
      JsonElement r = rs.get(i);
      String label = r.isJsonObject() && r.getAsJsonObject().has("label") && r.getAsJsonObject().get("label").isJsonPrimitive()
          ? r.getAsJsonObject().get("label").getAsString() : "result " + i;
      if (!r.isJsonObject() || !r.getAsJsonObject().has("config") || !r.getAsJsonObject().get("config").isJsonArray()) {
        throw new IllegalArgumentException(file + ": results[" + i + "]: expected an object with a \"config\" array");
      }
      out.add(new Labeled(label, toConfig(file, r.getAsJsonObject().getAsJsonArray("config"), "results[" + i + "].config ")));
    }
    return out;
  }

  /** Reads the configuration in {@code file}. */
  public static ChannelConfig read(Path path) {
    return read(path, null);
  }

  /**
   * Reads the configuration in {@code path}; when it selects a result of a search-result file, the
   * search must have been made for a model like {@code expected} (same architecture, maximum width,
   * input and classes; null accepts any), else the error names both.
   */
  public static ChannelConfig read(Path path, ModelSpec expected) {
    Path file = path;
    String select = null;
    String name = path.toString();
    int hash = name.lastIndexOf('#');
    if (hash > 0 && !Files.exists(path)) {
      file = Path.of(name.substring(0, hash));
      select = name.substring(hash + 1);
    }
    String text;
    try {
      if (Files.size(file) > 1 << 20) {
        throw new IllegalArgumentException(file + ": configuration file larger than 1 MiB");
      }
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read configuration (" + e.getMessage() + ")", e);
    }
    try {
      JsonElement root = org.slimj.search.io.StrictJson.parse(text, file.toString());
      if (root.isJsonObject() && root.getAsJsonObject().has("results")) {
        requireModel(file, root.getAsJsonObject(), expected);
        root = selectResult(file, root.getAsJsonObject().get("results"), select);
      } else if (select != null) {
        throw new IllegalArgumentException(file + ": '#" + select + "' selects a result, but the file is not a search result");
      }
      JsonArray arr;
      if (root.isJsonArray()) {
        arr = root.getAsJsonArray();
      } else if (root.isJsonObject() && root.getAsJsonObject().has("config")
          && root.getAsJsonObject().get("config").isJsonArray()) {
        arr = root.getAsJsonObject().getAsJsonArray("config");
      } else {
        throw new IllegalArgumentException(file + ": expected a JSON array of channel counts or {\"config\": [...]}");
      }
      return toConfig(file, arr, "");
    } catch (JsonParseException | IllegalStateException e) {
      throw new IllegalArgumentException(file + ": not valid JSON (" + e.getMessage() + ")", e);
    }
  }

  /** Checks that search result {@code doc} was made for a model like {@code expected} (if it records its model). */
  private static void requireModel(Path file, JsonObject doc, ModelSpec expected) {
    if (expected != null) {
      org.slimj.search.io.SearchResultFile.requireModel(file, doc, expected.toMetadata());
    }
  }

  /** The result of a search-result file's "results" named by label or 0-based index {@code select}. */
  private static JsonElement selectResult(Path file, JsonElement results, String select) {
    if (!results.isJsonArray()) {
      throw new IllegalArgumentException(file + ": \"results\" must be an array");
    }
    JsonArray rs = results.getAsJsonArray();
    java.util.List<String> labels = new java.util.ArrayList<>();
    for (int i = 0; i < rs.size(); i++) {
      JsonElement r = rs.get(i);
      String label = r.isJsonObject() && r.getAsJsonObject().has("label") ? r.getAsJsonObject().get("label").getAsString() : "";
      labels.add(label);
      if (select != null && (select.equals(label) || select.equals(Integer.toString(i)))) {
        return r;
      }
    }
    if (select == null && rs.size() == 1) {
      return rs.get(0);
    }
    throw new IllegalArgumentException(file + ": " + (select == null ? "holds " + rs.size() + " results; choose one with FILE#LABEL or FILE#INDEX"
        : "no result labelled or numbered '" + select + "'") + " (labels: " + labels + ")");
  }

  /** The channel counts in {@code arr}; {@code where} (empty or ending in a space) names it in errors. */
  private static ChannelConfig toConfig(Path file, JsonArray arr, String where) {
    int[] c = new int[arr.size()];
    for (int i = 0; i < c.length; i++) {
      JsonElement e = arr.get(i);
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
        throw new IllegalArgumentException(file + ": " + where + "entry " + i + " is not a number: " + e);
      }
      double d = e.getAsDouble();
      if (d != Math.rint(d) || d < 1 || d > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(file + ": " + where + "entry " + i + " must be a whole channel count >= 1, found "
            + e);
      }
      c[i] = (int) d;
    }
    return ChannelConfig.of(c);
  }
}
