package org.slimj.cli.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slimj.engine.io.AtomicFiles;
import org.slimj.search.io.StrictJson;

/**
 * The per-epoch lines of {@code metrics.jsonl}, kept so that a kill loses at most the epoch in
 * progress. Each epoch's line goes into the checkpoint's metadata ({@link #KEY}, all lines so far)
 * in the same atomic write as the weights; {@code metrics.jsonl} is then rewritten atomically
 * from them. A kill between the two leaves the file one line short, and {@link #resume} writes it
 * again from the checkpoint, so the file always ends at the checkpoint's epoch.
 */
final class MetricsLog {
  /** Metadata key holding the lines of every finished epoch, newline-separated. */
  static final String KEY = "train.metrics";

  private final Path file;
  private final List<String> lines;

  private MetricsLog(Path file, List<String> lines) {
    this.file = file;
    this.lines = new ArrayList<>(lines);
  }

  /** A new run's log: {@code file} and its stale temporary files are removed. */
  static MetricsLog start(Path file) throws IOException {
    Files.deleteIfExists(file);
    AtomicFiles.removeStale(file);
    return new MetricsLog(file, List.of());
  }

  /**
   * The log of a run resumed after {@code epochs} finished epochs, from the checkpoint's metadata
   * {@code saved} ({@code source} names it in errors), written back to {@code file} at once. A
   * checkpoint of an older slimj without {@link #KEY} keeps the first {@code epochs} complete
   * lines of the file.
   */
  static MetricsLog resume(Path file, Map<String, String> saved, int epochs, String source) throws IOException {
    List<String> lines;
    if (saved.containsKey(KEY)) {
      lines = saved.get(KEY).isEmpty() ? List.of() : List.of(saved.get(KEY).split("\n", -1));
      if (lines.size() != epochs) {
        throw new IllegalArgumentException(source + ": checkpoint metadata " + KEY + ": expected " + epochs
            + " lines (one per finished epoch), found " + lines.size());
      }
      for (int i = 0; i < lines.size(); i++) {
        check(lines.get(i), i + 1, source + ": checkpoint metadata " + KEY + " line " + (i + 1));
      }
    } else {
      lines = new ArrayList<>();
      if (Files.exists(file)) {
        for (String l : Files.readAllLines(file)) {
          if (lines.size() < epochs && complete(l, lines.size() + 1)) {
            lines.add(l);
          }
        }
      }
    }
    MetricsLog log = new MetricsLog(file, lines);
    log.write();
    return log;
  }

  private static void check(String line, int epoch, String where) {
    var e = StrictJson.parse(line, where);
    if (!e.isJsonObject() || !e.getAsJsonObject().has("epoch") || !e.getAsJsonObject().get("epoch").isJsonPrimitive()
        || !e.getAsJsonObject().get("epoch").getAsJsonPrimitive().isNumber()
        || e.getAsJsonObject().get("epoch").getAsLong() != epoch) {
      throw new IllegalArgumentException(where + ": expected a JSON object with \"epoch\": " + epoch + ", found " + line);
    }
  }

  private static boolean complete(String line, int epoch) {
    try {
      check(line, epoch, "metrics line");
      return true;
    } catch (IllegalArgumentException | IllegalStateException e) {
      return false; // a line cut by a kill in an older slimj's append: dropped, the epoch is rerun
    }
  }

  /** Adds the line of the epoch that just ended. */
  void add(String line) {
    if (line.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("a metrics line must be one line, found " + line);
    }
    lines.add(line);
  }

  /** The value of {@link #KEY} for the checkpoint written now. */
  String metadataValue() {
    return String.join("\n", lines);
  }

  /** Rewrites {@code metrics.jsonl} atomically with every line so far. */
  void write() throws IOException {
    StringBuilder b = new StringBuilder();
    for (String l : lines) {
      b.append(l).append('\n');
    }
    AtomicFiles.writeString(file, b.toString());
  }
}
