package org.slimj.search.io;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path tmp = Files.createTempFile(dir, abs.getFileName().toString(), ".tmp");
    try {
      Files.writeString(tmp, toJson(document), StandardCharsets.UTF_8);
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
