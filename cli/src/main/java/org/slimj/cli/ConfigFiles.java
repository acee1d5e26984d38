package org.slimj.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slimj.engine.nn.slim.ChannelConfig;

/** Reads channel configurations from JSON files: a bare array, or an object with a "config" array. */
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
      int[] c = new int[arr.size()];
      for (int i = 0; i < c.length; i++) {
        JsonElement e = arr.get(i);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
          throw new IllegalArgumentException(file + ": entry " + i + " is not a number: " + e);
        }
        double d = e.getAsDouble();
        if (d != Math.rint(d) || d < 1 || d > Integer.MAX_VALUE) {
          throw new IllegalArgumentException(file + ": entry " + i + " must be a whole channel count >= 1, found " + e);
        }
        c[i] = (int) d;
      }
      return ChannelConfig.of(c);
    } catch (JsonParseException | IllegalStateException e) {
      throw new IllegalArgumentException(file + ": not valid JSON (" + e.getMessage() + ")", e);
    }
  }
}
