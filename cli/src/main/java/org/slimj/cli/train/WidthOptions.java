package org.slimj.cli.train;

import java.util.Arrays;

/** Parsing of width lists ({@code 0.25,0.5,1.0}) and ranges ({@code 0.25:1.0}). */
final class WidthOptions {
  private WidthOptions() {}

  /**
   * The default width list of {@code architecture} up to {@code maxWidth}: the slimmable papers'
   * switches, 0.35, 0.5, 0.75, 1.0 for MobileNet v2 (its US range [0.35, 1.0]) and 0.25, 0.5, 0.75,
   * 1.0 otherwise, times {@code maxWidth}.
   */
  static double[] defaultList(String architecture, double maxWidth) {
    double smallest = "mobilenetv2".equalsIgnoreCase(architecture == null ? "" : architecture.trim()) ? 0.35 : 0.25;
    return Arrays.stream(new double[] {smallest, 0.5, 0.75, 1.0}).map(x -> x * maxWidth).toArray();
  }

  static double[] parseList(String s, String option) {
    try {
      double[] w = Arrays.stream(s.split(",")).map(String::trim).filter(t -> !t.isEmpty())
          .mapToDouble(Double::parseDouble).toArray();
      if (w.length == 0) {
        throw new IllegalArgumentException(option + ": expected at least one width, found '" + s + "'");
      }
      for (double x : w) {
        if (!(x > 0)) {
          throw new IllegalArgumentException(option + ": widths must be positive, found " + x);
        }
      }
      return w;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": expected comma-separated numbers, found '" + s + "'", e);
    }
  }

  /**
   * Checks that every width is at most {@code max}, the model's maximum width: a wider width has
   * no weights, and is refused rather than silently capped.
   */
  static void atMost(double[] widths, double max, String option) {
    for (double w : widths) {
      if (w > max + 1e-9) {
        throw new IllegalArgumentException(option + ": width " + w + " is above the model's maximum width " + max
            + " (--max-width)");
      }
    }
  }

  static double[] parseRange(String s) {
    String[] p = s.split(":");
    if (p.length != 2) {
      throw new IllegalArgumentException("--width-range: expected MIN:MAX, found '" + s + "'");
    }
    try {
      double lo = Double.parseDouble(p[0].trim());
      double hi = Double.parseDouble(p[1].trim());
      if (!(lo > 0) || lo > hi) {
        throw new IllegalArgumentException("--width-range: expected 0 < MIN <= MAX, found '" + s + "'");
      }
      return new double[] {lo, hi};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--width-range: expected MIN:MAX numbers, found '" + s + "'", e);
    }
  }
}
