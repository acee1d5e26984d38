package org.slimj.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slimj.engine.nn.slim.ChannelConfig;

/** Reads channel configurations from JSON files: a bare array, or an object with a "config" array. */
public final class ConfigFiles {
  private ConfigFiles() {}

  /**
   * A configuration with the label a search gave it.
   *
   * @param label the result's label
   * @param config the configuration
   */
  public record Labeled(String label, ChannelConfig config) {}

  /** Reads the configuration in {@code file}. */
  public static ChannelConfig read(Path file) {
    try {
      JsonElement root = JsonParser.parseString(readSmall(file, "configuration"));
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

  /** Reads every configuration of a search-result file ({@code {"results": [{"label", "config"}, ...]}}). */
  public static List<Labeled> readResults(Path file) {
    try {
      JsonElement root = JsonParser.parseString(readSmall(file, "search result"));
      if (!root.isJsonObject() || !root.getAsJsonObject().has("results") || !root.getAsJsonObject().get("results").isJsonArray()) {
        throw new IllegalArgumentException(file + ": expected a search result {\"results\": [{\"label\", \"config\"}, ...]}");
      }
      JsonArray rs = root.getAsJsonObject().getAsJsonArray("results");
      List<Labeled> out = new ArrayList<>();
      for (int i = 0; i < rs.size(); i++) {
        JsonElement r = rs.get(i);
        if (!r.isJsonObject() || !r.getAsJsonObject().has("config") || !r.getAsJsonObject().get("config").isJsonArray()) {
          throw new IllegalArgumentException(file + ": results[" + i + "]: expected an object with a \"config\" array");
        }
        JsonElement label = r.getAsJsonObject().get("label");
        String l = label != null && label.isJsonPrimitive() ? label.getAsString() : "result " + i;
        out.add(new Labeled(l, toConfig(file, r.getAsJsonObject().getAsJsonArray("config"), "results[" + i + "].config")));
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException(file + ": the search result holds no configurations");
      }
      return out;
    } catch (JsonParseException | IllegalStateException e) {
      throw new IllegalArgumentException(file + ": not valid JSON (" + e.getMessage() + ")", e);
    }
  }

  private static String readSmall(Path file, String what) {
    try {
      if (Files.size(file) > 1 << 24) {
        throw new IllegalArgumentException(file + ": " + what + " file larger than 16 MiB");
      }
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read " + what + " (" + e.getMessage() + ")", e);
    }
  }

  private static ChannelConfig toConfig(Path file, JsonArray arr, String where) {
    if (arr.isEmpty()) {
      throw new IllegalArgumentException(file + ": " + (where.isEmpty() ? "configuration" : where) + " is empty");
    }
    int[] c = new int[arr.size()];
    for (int i = 0; i < c.length; i++) {
      JsonElement e = arr.get(i);
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
        throw new IllegalArgumentException(file + ": " + where + " entry " + i + " is not a number: " + e);
      }
      double d = e.getAsDouble();
      if (d != Math.rint(d) || d < 1 || d > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(file + ": " + where + " entry " + i + " must be a whole channel count >= 1, found " + e);
      }
      c[i] = (int) d;
    }
    return ChannelConfig.of(c);
  }
}
