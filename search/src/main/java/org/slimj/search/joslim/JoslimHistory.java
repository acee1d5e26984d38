package org.slimj.search.joslim;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Joslim run has done so far, enough to resume it exactly: every visited width vector with
 * its cost and latest held-out loss, which visits the current steps train (the last proposals), and
 * the next training step. Saved in checkpoint metadata as JSON under {@link #METADATA_KEY}.
 */
public final class JoslimHistory {
  /** The checkpoint metadata key holding {@link #toJson}. */
  public static final String METADATA_KEY = "joslim.history";

  /** The format tag of the JSON. */
  public static final String FORMAT = "slimj-joslim-history-1";

  private final List<Visit> visits = new ArrayList<>();
  private int[] current = new int[0];
  private long nextStep;

  /** An empty history at step 0. */
  public JoslimHistory() {}

  /** The visits, in the order proposed. */
  public List<Visit> visits() {
    return List.copyOf(visits);
  }

  /** Number of visits. */
  public int size() {
    return visits.size();
  }

  /** Visit {@code i}. */
  public Visit get(int i) {
    return visits.get(i);
  }

  /** Appends a visit and returns its index. */
  public int add(Visit v) {
    visits.add(v);
    return visits.size() - 1;
  }

  /** Sets the held-out loss of visit {@code i}. */
  public void setLoss(int i, double loss) {
    visits.set(i, visits.get(i).withLoss(loss));
  }

  /** Indices of the visits the current steps train. */
  public int[] current() {
    return current.clone();
  }

  /** Sets the indices of the visits the current steps train. */
  public void setCurrent(int[] indices) {
    for (int i : indices) {
      if (i < 0 || i >= visits.size()) {
        throw new IllegalArgumentException("Joslim history: current visit " + i + " is not in [0, " + visits.size() + ")");
      }
    }
    current = indices.clone();
  }

  /** The next training step. */
  public long nextStep() {
    return nextStep;
  }

  /** Sets the next training step. */
  public void setNextStep(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("Joslim history: expected a step >= 0, found " + step);
    }
    nextStep = step;
  }

  /** The history as a JSON-ready map. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("next_step", nextStep);
    m.put("current", current.clone());
    List<Map<String, Object>> vs = new ArrayList<>();
    for (Visit v : visits) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("alpha", v.alpha());
      e.put("cost", v.cost());
      e.put("loss", Double.isNaN(v.loss()) ? null : v.loss());
      e.put("step", v.step());
      e.put("origin", v.origin());
      vs.add(e);
    }
    m.put("visits", vs);
    return m;
  }

  /** Compact JSON; doubles print in shortest round-trip form, so {@link #fromJson} restores them exactly. */
  public String toJson() {
    return new GsonBuilder().serializeNulls().create().toJson(toMap());
  }

  /** Parses {@link #toJson}'s output; {@code source} names where it came from in error messages. */
  public static JoslimHistory fromJson(String json, String source) {
    try {
      JsonElement root = org.slimj.search.io.StrictJson.parse(json, source);
      if (!root.isJsonObject()) {
        throw new IllegalArgumentException(source + ": Joslim history: expected a JSON object");
      }
      JsonObject o = root.getAsJsonObject();
      String format = string(o, "format", source);
      if (!FORMAT.equals(format)) {
        throw new IllegalArgumentException(source + ": Joslim history: expected format " + FORMAT + ", found " + format);
      }
      JoslimHistory h = new JoslimHistory();
      h.setNextStep(field(o, "next_step", source).getAsLong());
      JsonArray vs = array(o, "visits", source);
      Integer dims = null;
      for (int i = 0; i < vs.size(); i++) {
        if (!vs.get(i).isJsonObject()) {
          throw new IllegalArgumentException(source + ": Joslim history: visit " + i + " is not an object");
        }
        JsonObject e = vs.get(i).getAsJsonObject();
        JsonArray a = array(e, "alpha", source);
        double[] alpha = new double[a.size()];
        for (int d = 0; d < alpha.length; d++) {
          alpha[d] = a.get(d).getAsDouble();
        }
        if (dims == null) {
          dims = alpha.length;
        } else if (dims != alpha.length) {
          throw new IllegalArgumentException(source + ": Joslim history: visit " + i + " has " + alpha.length
              + " multipliers, the first has " + dims);
        }
        JsonElement loss = field(e, "loss", source);
        h.add(new Visit(alpha, field(e, "cost", source).getAsDouble(), loss.isJsonNull() ? Double.NaN : loss.getAsDouble(),
            field(e, "step", source).getAsLong(), string(e, "origin", source)));
      }
      JsonArray cur = array(o, "current", source);
      int[] c = new int[cur.size()];
      for (int i = 0; i < c.length; i++) {
        c[i] = cur.get(i).getAsInt();
      }
      h.setCurrent(c);
      return h;
    } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | NumberFormatException e) {
      throw new IllegalArgumentException(source + ": Joslim history is not valid JSON of the expected shape: "
          + e.getMessage(), e);
    }
  }

  private static JsonElement field(JsonObject o, String name, String source) {
    JsonElement e = o.get(name);
    if (e == null) {
      throw new IllegalArgumentException(source + ": Joslim history: missing field '" + name + "'");
    }
    return e;
  }

  private static JsonArray array(JsonObject o, String name, String source) {
    JsonElement e = field(o, name, source);
    if (!e.isJsonArray()) {
      throw new IllegalArgumentException(source + ": Joslim history: field '" + name + "' is not an array");
    }
    return e.getAsJsonArray();
  }

  private static String string(JsonObject o, String name, String source) {
    JsonElement e = field(o, name, source);
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException(source + ": Joslim history: field '" + name + "' is not a string");
    }
    return e.getAsString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JoslimHistory h && h.visits.equals(visits) && Arrays.equals(h.current, current)
        && h.nextStep == nextStep;
  }

  @Override
  public int hashCode() {
    return visits.hashCode() * 31 + Long.hashCode(nextStep);
  }
}
