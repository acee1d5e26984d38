package org.slimj.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slimj.engine.nn.slim.ChannelConfig;

/**
 * Reads channel configurations from JSON files: a bare array, an object with a "config" array, or
 * (with {@link #readReference}) entry i of a search result's "results" array as {@code FILE#i}.
 */
public final class ConfigFiles {
  private ConfigFiles() {}

  /** Reads the configuration in {@code file}. */
  public static ChannelConfig read(Path file) {
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
      JsonElement root = JsonParser.parseString(text);
      JsonArray arr;
      if (root.isJsonArray()) {
        arr = root.getAsJsonArray();
      } else if (root.isJsonObject() && root.getAsJsonObject().has("config")
          && root.getAsJsonObject().get("config").isJsonArray()) {
        arr = root.getAsJsonObject().getAsJsonArray("config");
      } else {
        throw new IllegalArgumentException(file + ": expected a JSON array of channel counts or {\"config\": [...]}");
      }
      return fromArray(arr, file.toString());
    } catch (JsonParseException | IllegalStateException e) {
      throw new IllegalArgumentException(file + ": not valid JSON (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Reads {@code FILE} as {@link #read} does, or {@code FILE#i}: the {@code config} of entry
   * {@code i} of the {@code results} array of a search result file.
   */
  public static ChannelConfig readReference(String ref) {
    int hash = ref.lastIndexOf('#');
    if (hash < 0) {
      return read(Path.of(ref));
    }
    Path file = Path.of(ref.substring(0, hash));
    int index;
    try {
      index = Integer.parseInt(ref.substring(hash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(ref + ": expected FILE#INDEX with an integer index", e);
    }
    String text;
    try {
      if (Files.size(file) > 64 << 20) {
        throw new IllegalArgumentException(file + ": search result file larger than 64 MiB");
      }
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read search results (" + e.getMessage() + ")", e);
    }
    try {
      JsonElement root = JsonParser.parseString(text);
      if (!root.isJsonObject() || !root.getAsJsonObject().has("results")
          || !root.getAsJsonObject().get("results").isJsonArray()) {
        throw new IllegalArgumentException(file + ": expected a search result with a \"results\" array");
      }
      JsonArray results = root.getAsJsonObject().getAsJsonArray("results");
      if (index < 0 || index >= results.size()) {
        throw new IllegalArgumentException(file + ": result index must be in [0, " + results.size() + "), found "
            + index);
      }
      JsonElement entry = results.get(index);
      if (!entry.isJsonObject() || !entry.getAsJsonObject().has("config")) {
        throw new IllegalArgumentException(file + ": results[" + index + "] has no \"config\"");
      }
      JsonElement config = entry.getAsJsonObject().get("config");
      if (!config.isJsonArray()) {
        throw new IllegalArgumentException(file + ": results[" + index + "].config is not an array");
      }
      return fromArray(config.getAsJsonArray(), file + " results[" + index + "].config");
    } catch (JsonParseException | IllegalStateException e) {
      throw new IllegalArgumentException(file + ": not valid JSON (" + e.getMessage() + ")", e);
    }
  }

  private static ChannelConfig fromArray(JsonArray arr, String where) {
    int[] c = new int[arr.size()];
    for (int i = 0; i < c.length; i++) {
      JsonElement e = arr.get(i);
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
        throw new IllegalArgumentException(where + ": entry " + i + " is not a number: " + e);
      }
      double d = e.getAsDouble();
      if (d != Math.rint(d) || d < 1 || d > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(where + ": entry " + i + " must be a whole channel count >= 1, found " + e);
      }
      c[i] = (int) d;
    }
    return ChannelConfig.of(c);
  }
}
