package org.slimj.cli.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Reads and writes the training settings kept in checkpoint metadata under {@code train.*} and {@code data.*}. */
public final class RunSettings {
  private RunSettings() {}

  /** Keys whose values must match between a checkpoint and a resumed run. */
  static final String[] FIXED_KEYS = {
    "train.mode", "train.seed", "train.batch", "train.lr", "train.schedule", "train.warmup", "train.momentum",
    "train.nesterov", "train.weight_decay", "train.decay_all", "train.label_smoothing", "train.width_range",
    "train.samples", "train.groups", "train.distill", "train.sandwich", "train.single", "train.adaptive", "data.option", "data.limit_train",
    "data.val", "data.seed", "data.crop_padding", "data.flip", "train.joslim_tau", "train.joslim_proposals",
    "train.joslim_warmup_proposals", "train.joslim_lower", "train.joslim_cost",
    "train.joslim_heldout_batch", "train.credit_sub_batch"
  };

  static String doubles(double[] v) {
    return Arrays.toString(v);
  }

  static String floats(float[] v) {
    return Arrays.toString(v);
  }

  /** Parses a float list written by {@link #floats} ({@code [a, b, ...]}); {@code key} names it in errors. */
  public static float[] parseFloats(String s, String key) {
    double[] d = parseDoubles(s, key);
    float[] out = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = (float) d[i];
    }
    return out;
  }

  /** Parses a list written by {@link #doubles} ({@code [a, b, ...]}); {@code key} names it in errors. */
  public static double[] parseDoubles(String s, String key) {
    String t = s.trim();
    if (!t.startsWith("[") || !t.endsWith("]")) {
      throw new IllegalArgumentException(key + ": expected [a, b, ...], found " + s);
    }
    String[] parts = t.substring(1, t.length() - 1).split(",");
    double[] out = new double[parts.length];
    try {
      for (int i = 0; i < parts.length; i++) {
        out[i] = Double.parseDouble(parts[i].trim());
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": expected [a, b, ...] of numbers, found " + s, e);
    }
    return out;
  }

  /** The metadata entry {@code key} of checkpoint {@code file}; an error naming both when it is missing. */
  public static String get(Map<String, String> m, String key, String file) {
    String v = m.get(key);
    if (v == null) {
      throw new IllegalArgumentException(file + ": checkpoint metadata has no '" + key + "'");
    }
    return v;
  }

  /**
   * The whole number of metadata entry {@code key} of checkpoint {@code file}, in [{@code min},
   * {@code max}]; an error naming the file, the key, the range and the value otherwise.
   */
  public static long integer(Map<String, String> m, String key, String file, long min, long max) {
    String v = get(m, key, file);
    long n;
    try {
      n = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(file + ": checkpoint metadata " + key + ": expected a whole number in [" + min
          + ", " + max + "], found '" + v + "'", e);
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(file + ": checkpoint metadata " + key + ": expected a whole number in [" + min
          + ", " + max + "], found " + n);
    }
    return n;
  }

  /** Differences between the fixed settings of a checkpoint and a new run, as "key: old -> new" lines. */
  static String differences(Map<String, String> saved, Map<String, String> now) {
    StringBuilder sb = new StringBuilder();
    for (String k : FIXED_KEYS) {
      String a = saved.get(k);
      String b = now.get(k);
      if (a == null ? b != null : !a.equals(b)) {
        sb.append(String.format(Locale.ROOT, "%n  %s: checkpoint %s, now %s", k, a, b));
      }
    }
    return sb.toString();
  }

  static Map<String, String> copy(Map<String, String> m) {
    return new LinkedHashMap<>(m);
  }
}
