package org.slimj.engine.space;

import java.util.Locale;

/**
 * The elementwise activation applied after a layer's batch norm (or after its residual add): none,
 * ReLU or ReLU6. Used by cost models (layer signatures), traces and exported networks' JSON.
 */
public enum Activation {
  /** No activation. */
  NONE,
  /** max(0, x). */
  RELU,
  /** min(max(0, x), 6) (MobileNet v2). */
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
