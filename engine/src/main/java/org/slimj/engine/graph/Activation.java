package org.slimj.engine.graph;

import java.util.Locale;

/** The activation applied to a layer's output: none, ReLU or ReLU6 (names as in exported JSON). */
public enum Activation {
  /** Identity. */
  NONE,
  /** max(x, 0). */
  RELU,
  /** min(max(x, 0), 6). */
  RELU6;

  /** Lower-case name, as written in an exported network's JSON. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code none|relu|relu6}; {@code where} names the field in errors. */
  public static Activation parse(String s, String where) {
    for (Activation a : values()) {
      if (a.jsonName().equals(s)) {
        return a;
      }
    }
    throw new IllegalArgumentException(where + ": expected none, relu or relu6, found '" + s + "'");
  }
}
