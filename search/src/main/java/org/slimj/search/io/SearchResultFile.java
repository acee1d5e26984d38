package org.slimj.search.io;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.space.Slot;

/**
 * The JSON every search writes: {@code {"method", "model", "settings", "slots": [names],
 * "results": [{"label", "config", "costs", "score", "score_name", "how"}]}}. The {@code config}
 * array can be passed back to {@code --config} of other commands.
 */
public final class SearchResultFile {
  private SearchResultFile() {}

  /** The document as a JSON-ready map. */
  public static Map<String, Object> document(
      String method, Map<String, String> model, Map<String, Object> settings, ChannelSpace space,
      List<FoundConfig> results) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("method", method);
    doc.put("model", new LinkedHashMap<>(model));
    doc.put("settings", new LinkedHashMap<>(settings));
    List<String> slots = new ArrayList<>();
    for (Slot s : space.slots()) {
      slots.add(s.name());
    }
    doc.put("slots", slots);
    List<Map<String, Object>> rs = new ArrayList<>();
    for (FoundConfig f : results) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("label", f.label());
      r.put("config", f.config().toArray());
      r.put("costs", f.costs());
      r.put("score", Double.isNaN(f.score()) ? null : f.score());
      r.put("score_name", f.scoreName());
      r.put("how", f.how());
      rs.add(r);
    }
    doc.put("results", rs);
    return doc;
  }

  /** Pretty-printed JSON of {@link #document}. */
  public static String toJson(Map<String, Object> document) {
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().serializeSpecialFloatingPointValues().create()
        .toJson(document);
  }

  /** Writes {@code document} to {@code file} atomically (temporary file in the same directory, then rename). */
  public static void write(Path file, Map<String, Object> document) throws IOException {
    try {
      writeAtomically(file, document);
    } catch (IOException e) {
      throw org.slimj.engine.io.FileErrors.describe("write result to", file, e);
    }
  }

  private static void writeAtomically(Path file, Map<String, Object> document) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    org.slimj.engine.io.AtomicFiles.writeString(file, toJson(document));
  }

  /** Largest search-result file {@link #read} accepts. */
  public static final long MAX_READ_BYTES = 16L << 20;

  /**
   * The results of a search-result file, in order: label, configuration, costs (numeric entries),
   * score (NaN when null) and score name; {@code how} is left empty.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException naming the file and the entry that is malformed
   */
  public static List<FoundConfig> read(Path file) throws IOException {
    return read(file, null);
  }

  /** Spec entries that make a configuration of one model meaningless for another. */
  private static final List<String> MODEL_KEYS = List.of("model.architecture", "model.max_width", "model.in_channels",
      "model.input_size", "model.classes");

  /**
   * Checks that search result {@code doc} of {@code file}, if it records its model, was made for a
   * model whose spec metadata is {@code expected} (architecture, maximum width, input and classes;
   * null accepts any).
   *
   * @throws IllegalArgumentException naming the file, the entry, what it is and what was expected
   */
  public static void requireModel(Path file, JsonObject doc, Map<String, String> expected) {
    if (expected == null || !doc.has("model")) {
      return;
    }
    if (!doc.get("model").isJsonObject()) {
      throw new IllegalArgumentException(file + ": \"model\": expected an object of model.* entries, found "
          + doc.get("model"));
    }
    JsonObject m = doc.getAsJsonObject("model");
    for (String k : MODEL_KEYS) {
      JsonElement found = m.get(k);
      String f = found != null && found.isJsonPrimitive() ? found.getAsString() : String.valueOf(found);
      if (!String.valueOf(expected.get(k)).equals(f)) {
        throw new IllegalArgumentException(file + ": the search result was made for another model: " + k + " is " + f
            + ", expected " + expected.get(k));
      }
    }
  }

  /** As {@link #read(Path)}, refusing a result made for another model than {@code expectedModel} (see {@link #requireModel}). */
  public static List<FoundConfig> read(Path file, Map<String, String> expectedModel) throws IOException {
    if (Files.size(file) > MAX_READ_BYTES) {
      throw new IllegalArgumentException(file + ": search-result file larger than " + MAX_READ_BYTES + " bytes");
    }
    JsonArray rs;
    try {
      JsonElement root = StrictJson.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
      if (!root.isJsonObject() || !root.getAsJsonObject().has("results")
          || !root.getAsJsonObject().get("results").isJsonArray()) {
        throw new IllegalArgumentException(file + ": expected a search result {\"results\": [{\"label\", \"config\","
            + " \"costs\", \"score\"}, ...]}");
      }
      requireModel(file, root.getAsJsonObject(), expectedModel);
      rs = root.getAsJsonObject().getAsJsonArray("results");
    } catch (JsonParseException | IllegalStateException e) {
      throw new IllegalArgumentException(file + ": not valid JSON (" + e.getMessage() + ")", e);
    }
    List<FoundConfig> out = new ArrayList<>();
    for (int i = 0; i < rs.size(); i++) {
      String where = file + ": results[" + i + "]";
      if (!rs.get(i).isJsonObject()) {
        throw new IllegalArgumentException(where + ": expected an object, found " + rs.get(i));
      }
      JsonObject r = rs.get(i).getAsJsonObject();
      String label = r.has("label") && r.get("label").isJsonPrimitive() ? r.get("label").getAsString() : "result " + i;
      if (!r.has("config") || !r.get("config").isJsonArray()) {
        throw new IllegalArgumentException(where + ": expected a \"config\" array");
      }
      JsonArray c = r.getAsJsonArray("config");
      int[] channels = new int[c.size()];
      for (int j = 0; j < channels.length; j++) {
        JsonElement e = c.get(j);
        double d = e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsDouble() : Double.NaN;
        if (d != Math.rint(d) || d < 1 || d > Integer.MAX_VALUE) {
          throw new IllegalArgumentException(where + ".config[" + j + "]: expected a whole channel count >= 1, found " + e);
        }
        channels[j] = (int) d;
      }
      Map<String, Double> costs = new LinkedHashMap<>();
      if (r.has("costs") && r.get("costs").isJsonObject()) {
        for (Map.Entry<String, JsonElement> e : r.getAsJsonObject("costs").entrySet()) {
          if (e.getValue().isJsonPrimitive() && e.getValue().getAsJsonPrimitive().isNumber()) {
            costs.put(e.getKey(), e.getValue().getAsDouble());
          }
        }
      }
      JsonElement sc = r.get("score");
      double score = sc != null && sc.isJsonPrimitive() && sc.getAsJsonPrimitive().isNumber() ? sc.getAsDouble() : Double.NaN;
      String scoreName = r.has("score_name") && r.get("score_name").isJsonPrimitive() ? r.get("score_name").getAsString() : "";
      out.add(new FoundConfig(label, ChannelConfig.of(channels), costs, score, scoreName, Map.of()));
    }
    return out;
  }
}
