package org.slimj.bench;

import java.util.Arrays;

/**
 * Parses width lists such as {@code 1.0,0.25,0.75,0.5}. A slash also separates widths
 * ({@code 1.0/0.25/0.75/0.5}), because JMH's {@code -p name=v1,v2} splits parameter values on
 * commas.
 */
public final class WidthList {
  private WidthList() {}

  /** The widths of {@code s}, each in (0, 1]; {@code option} names the source in errors. */
  public static double[] parse(String s, String option) {
    String[] parts = s.split("[,/]");
    double[] w = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i].trim();
      try {
        w[i] = Double.parseDouble(p);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + ": expected widths separated by commas, found '" + s + "'", e);
      }
      if (!(w[i] > 0) || w[i] > 1) {
        throw new IllegalArgumentException(option + ": widths must be in (0, 1], found " + p + " in '" + s + "'");
      }
    }
    return w;
  }

  /** The widths as the comma-separated text they were parsed from (for messages). */
  public static String format(double[] widths) {
    return String.join(",", Arrays.stream(widths).mapToObj(Double::toString).toList());
  }
}
