package org.slimj.search.latency;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slimj.engine.space.Activation;
import org.slimj.engine.space.LayerKind;

/**
 * Latency tables as JSON files, one per platform:
 *
 * <pre>
 * {"format": "slimj-latency-table/1", "unit": "ms per image",
 *  "provenance": {"platform": ..., "jvm": ..., "jvm_vendor": ..., "cpu": ..., "os": ..., "backend": ...,
 *                 "threads": 1, "batch": 1, "clock": "wall", "date": ..., "commit": ..., "method": ...},
 *  "scale": 1.1, "fixed_ms": 0.01,
 *  "entries": [{"signature": {"kind": "conv", "kernel": 3, "stride": 1, "input_size": 28, "batch_norm": true,
 *                             "bias": false, "activation": "relu", "residual": false, "pooled_size": 0},
 *               "cin": [..], "cout": [..], "ms": [[..], ..]}, ...]}
 * </pre>
 *
 * Reading is strict: every field is required, no unknown field is allowed, and an error names the
 * file and the field. Writing is atomic (temporary file in the same directory, then rename).
 */
public final class LatencyTableFile {
  /** The format tag of the files written. */
  public static final String FORMAT = "slimj-latency-table/1";

  private static final long MAX_BYTES = 64L << 20;

  private LatencyTableFile() {}

  /** Reads the table in {@code file}. */
  public static LatencyTable read(Path file) {
    String text;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new IllegalArgumentException(file + ": latency table larger than " + (MAX_BYTES >> 20) + " MiB");
      }
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read latency table (" + e.getMessage() + ")", e);
    }
    return parse(text, file.toString());
  }

  /** Parses a table from {@code text}; {@code source} names it in errors. */
  public static LatencyTable parse(String text, String source) {
    JsonElement root = org.slimj.search.io.StrictJson.parse(text, source);
    Fields f = new Fields(source);
    JsonObject o = f.object(root, "(root)");
    f.only(o, "(root)", Set.of("format", "unit", "provenance", "scale", "fixed_ms", "entries"));
    String format = f.string(o, "format", "");
    if (!format.equals(FORMAT)) {
      throw f.error("format", "expected \"" + FORMAT + "\"", "\"" + format + "\"");
    }
    String unit = f.string(o, "unit", "");
    if (!unit.equals("ms per image")) {
      throw f.error("unit", "expected \"ms per image\"", "\"" + unit + "\"");
    }
    JsonObject p = f.object(f.get(o, "provenance", ""), "provenance");
    f.only(p, "provenance", Set.of("platform", "jvm", "jvm_vendor", "cpu", "os", "backend", "threads", "batch", "clock",
        "date", "commit", "method"));
    Provenance prov;
    try {
      prov = new Provenance(f.string(p, "platform", "provenance."), f.string(p, "jvm", "provenance."),
          f.string(p, "jvm_vendor", "provenance."), f.string(p, "cpu", "provenance."), f.string(p, "os", "provenance."),
          f.string(p, "backend", "provenance."), f.integer(p, "threads", "provenance.", 1),
          f.integer(p, "batch", "provenance.", 1), f.string(p, "clock", "provenance."), f.string(p, "date", "provenance."),
          f.string(p, "commit", "provenance."), f.string(p, "method", "provenance."));
    } catch (IllegalArgumentException e) {
      if (e.getMessage().startsWith(source)) {
        throw e;
      }
      throw new IllegalArgumentException(source + ": provenance: " + e.getMessage(), e);
    }
    double fixed = f.number(o, "fixed_ms", "", true);
    double scale = f.number(o, "scale", "", true);
    if (!(scale > 0)) {
      throw f.error("scale", "a number > 0", Double.toString(scale));
    }
    JsonArray entries = f.array(f.get(o, "entries", ""), "entries");
    Map<LayerSignature, LatencyGrid> map = new LinkedHashMap<>();
    for (int k = 0; k < entries.size(); k++) {
      String at = "entries[" + k + "]";
      JsonObject e = f.object(entries.get(k), at);
      f.only(e, at, Set.of("signature", "cin", "cout", "ms"));
      LayerSignature sig = signature(f, f.object(f.get(e, "signature", at + "."), at + ".signature"), at + ".signature.");
      int[] cins = f.ints(f.array(f.get(e, "cin", at + "."), at + ".cin"), at + ".cin");
      int[] couts = f.ints(f.array(f.get(e, "cout", at + "."), at + ".cout"), at + ".cout");
      JsonArray rows = f.array(f.get(e, "ms", at + "."), at + ".ms");
      double[][] ms = new double[rows.size()][];
      for (int i = 0; i < ms.length; i++) {
        JsonArray row = f.array(rows.get(i), at + ".ms[" + i + "]");
        ms[i] = new double[row.size()];
        for (int j = 0; j < ms[i].length; j++) {
          ms[i][j] = f.number(row.get(j), at + ".ms[" + i + "][" + j + "]", true);
        }
      }
      LatencyGrid grid;
      try {
        grid = new LatencyGrid(cins, couts, ms);
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(source + ": " + at + "." + ex.getMessage(), ex);
      }
      if (map.put(sig, grid) != null) {
        throw f.error(at + ".signature", "a signature not seen before", "a duplicate of an earlier entry (" + sig + ")");
      }
    }
    return new LatencyTable(prov, map, scale, fixed);
  }

  private static LayerSignature signature(Fields f, JsonObject s, String at) {
    String prefix = at.substring(0, at.length() - 1);
    f.only(s, prefix, Set.of("kind", "kernel", "stride", "input_size", "batch_norm", "bias", "activation", "residual",
        "pooled_size"));
    LayerKind kind = f.enumValue(s, "kind", at, LayerKind.class);
    Activation act = f.enumValue(s, "activation", at, Activation.class);
    try {
      return new LayerSignature(kind, f.integer(s, "kernel", at, 1), f.integer(s, "stride", at, 1),
          f.integer(s, "input_size", at, 1), f.bool(s, "batch_norm", at), f.bool(s, "bias", at), act,
          f.bool(s, "residual", at), f.integer(s, "pooled_size", at, 0));
    } catch (IllegalArgumentException e) {
      if (e.getMessage().startsWith(f.source)) {
        throw e;
      }
      throw new IllegalArgumentException(f.source + ": " + prefix + ": " + e.getMessage(), e);
    }
  }

  /** The JSON text of {@code table}. */
  public static String toJson(LatencyTable table) {
    Provenance p = table.provenance();
    JsonObject prov = new JsonObject();
    prov.addProperty("platform", p.platform());
    prov.addProperty("jvm", p.jvm());
    prov.addProperty("jvm_vendor", p.jvmVendor());
    prov.addProperty("cpu", p.cpu());
    prov.addProperty("os", p.os());
    prov.addProperty("backend", p.backend());
    prov.addProperty("threads", p.threads());
    prov.addProperty("batch", p.batch());
    prov.addProperty("clock", p.clock());
    prov.addProperty("date", p.date());
    prov.addProperty("commit", p.commit());
    prov.addProperty("method", p.method());
    JsonArray entries = new JsonArray();
    for (Map.Entry<LayerSignature, LatencyGrid> en : table.entries().entrySet()) {
      LayerSignature s = en.getKey();
      LatencyGrid g = en.getValue();
      JsonObject sig = new JsonObject();
      sig.addProperty("kind", s.kind().name().toLowerCase(Locale.ROOT));
      sig.addProperty("kernel", s.kernel());
      sig.addProperty("stride", s.stride());
      sig.addProperty("input_size", s.inputSize());
      sig.addProperty("batch_norm", s.batchNorm());
      sig.addProperty("bias", s.bias());
      sig.addProperty("activation", s.activation().name().toLowerCase(Locale.ROOT));
      sig.addProperty("residual", s.residual());
      sig.addProperty("pooled_size", s.pooledSize());
      JsonObject e = new JsonObject();
      e.add("signature", sig);
      e.add("cin", intArray(g.cins()));
      e.add("cout", intArray(g.couts()));
      JsonArray rows = new JsonArray();
      for (int i = 0; i < g.cins().length; i++) {
        JsonArray row = new JsonArray();
        for (int j = 0; j < g.couts().length; j++) {
          row.add(g.measured(i, j));
        }
        rows.add(row);
      }
      e.add("ms", rows);
      entries.add(e);
    }
    JsonObject root = new JsonObject();
    root.addProperty("format", FORMAT);
    root.addProperty("unit", "ms per image");
    root.add("provenance", prov);
    root.addProperty("scale", table.scale());
    root.addProperty("fixed_ms", table.fixedMs());
    root.add("entries", entries);
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n";
  }

  private static JsonArray intArray(int[] a) {
    JsonArray out = new JsonArray();
    for (int v : a) {
      out.add(v);
    }
    return out;
  }

  /** Writes {@code table} to {@code file} atomically (temporary file in the same directory, then rename). */
  public static void write(Path file, LatencyTable table) throws IOException {
    try {
      writeAtomically(file, table);
    } catch (IOException e) {
      throw org.slimj.engine.io.FileErrors.describe("write latency table to", file, e);
    }
  }

  private static void writeAtomically(Path file, LatencyTable table) throws IOException {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    org.slimj.engine.io.AtomicFiles.writeString(abs, toJson(table));
  }

  /** Typed access to JSON fields whose errors name the file and the field. */
  private static final class Fields {
    final String source;

    Fields(String source) {
      this.source = source;
    }

    IllegalArgumentException error(String field, String expected, String found) {
      return new IllegalArgumentException(source + ": field " + field + ": " + expected + ", found " + found);
    }

    JsonElement get(JsonObject o, String key, String at) {
      JsonElement e = o.get(key);
      if (e == null) {
        throw error(at + key, "required", "nothing");
      }
      return e;
    }

    void only(JsonObject o, String at, Set<String> allowed) {
      for (String k : o.keySet()) {
        if (!allowed.contains(k)) {
          throw error(at, "fields " + allowed, "unknown field \"" + k + "\"");
        }
      }
    }

    JsonObject object(JsonElement e, String at) {
      if (!e.isJsonObject()) {
        throw error(at, "an object", e.toString());
      }
      return e.getAsJsonObject();
    }

    JsonArray array(JsonElement e, String at) {
      if (!e.isJsonArray()) {
        throw error(at, "an array", e.toString());
      }
      return e.getAsJsonArray();
    }

    String string(JsonObject o, String key, String at) {
      JsonElement e = get(o, key, at);
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
        throw error(at + key, "a string", e.toString());
      }
      return e.getAsString();
    }

    boolean bool(JsonObject o, String key, String at) {
      JsonElement e = get(o, key, at);
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
        throw error(at + key, "true or false", e.toString());
      }
      return e.getAsBoolean();
    }

    int integer(JsonObject o, String key, String at, int min) {
      return integerValue(get(o, key, at), at + key, min);
    }

    int integerValue(JsonElement e, String at, int min) {
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
        throw error(at, "an integer >= " + min, e.toString());
      }
      double d = e.getAsDouble();
      if (d != Math.rint(d) || d < min || d > Integer.MAX_VALUE) {
        throw error(at, "an integer >= " + min, e.toString());
      }
      return (int) d;
    }

    int[] ints(JsonArray a, String at) {
      int[] out = new int[a.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = integerValue(a.get(i), at + "[" + i + "]", 1);
      }
      return out;
    }

    double number(JsonObject o, String key, String at, boolean nonNegative) {
      return number(get(o, key, at), at + key, nonNegative);
    }

    double number(JsonElement e, String at, boolean nonNegative) {
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
        throw error(at, nonNegative ? "a finite number >= 0" : "a finite number", e.toString());
      }
      JsonPrimitive p = e.getAsJsonPrimitive();
      double d = p.getAsDouble();
      if (!Double.isFinite(d) || (nonNegative && d < 0)) {
        throw error(at, nonNegative ? "a finite number >= 0" : "a finite number", e.toString());
      }
      return d;
    }

    <E extends Enum<E>> E enumValue(JsonObject o, String key, String at, Class<E> type) {
      String s = string(o, key, at);
      for (E v : type.getEnumConstants()) {
        if (v.name().toLowerCase(Locale.ROOT).equals(s)) {
          return v;
        }
      }
      StringBuilder names = new StringBuilder();
      for (E v : type.getEnumConstants()) {
        names.append(names.isEmpty() ? "" : ", ").append(v.name().toLowerCase(Locale.ROOT));
      }
      throw error(at + key, "one of " + names, "\"" + s + "\"");
    }
  }
}
