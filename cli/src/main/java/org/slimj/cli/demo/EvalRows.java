package org.slimj.cli.demo;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slimj.engine.nn.slim.ChannelConfig;

/** Reads the JSON of {@code ./slimj eval --json}: one row per evaluated configuration. */
public final class EvalRows {
  private EvalRows() {}

  /**
   * One evaluated configuration.
   *
   * @param label its label (width or search-result label)
   * @param config channel counts
   * @param accuracy top-1 accuracy in [0, 1]
   * @param macs multiply-adds per image
   * @param params parameters
   */
  public record Row(String label, ChannelConfig config, double accuracy, long macs, long params) {}

  /** The rows of {@code file}. */
  public static List<Row> read(Path file) throws IOException {
    try {
      JsonElement root = JsonParser.parseString(Files.readString(file));
      if (!root.isJsonObject() || !root.getAsJsonObject().has("results")) {
        throw new IllegalArgumentException(file + ": expected the JSON of 'eval --json' with a \"results\" array");
      }
      List<Row> rows = new ArrayList<>();
      JsonArray rs = root.getAsJsonObject().getAsJsonArray("results");
      for (int i = 0; i < rs.size(); i++) {
        JsonObject r = rs.get(i).getAsJsonObject();
        JsonArray c = r.getAsJsonArray("config");
        int[] ch = new int[c.size()];
        for (int k = 0; k < ch.length; k++) {
          ch[k] = c.get(k).getAsInt();
        }
        String label = r.has("label") && !r.get("label").isJsonNull() ? r.get("label").getAsString() : "result " + i;
        rows.add(new Row(label, ChannelConfig.of(ch), r.get("accuracy").getAsDouble(), r.get("macs").getAsLong(),
            r.get("params").getAsLong()));
      }
      return rows;
    } catch (JsonParseException | IllegalStateException | NullPointerException | ClassCastException e) {
      throw new IllegalArgumentException(file + ": not the JSON of 'eval --json' (" + e + ")", e);
    }
  }
}
