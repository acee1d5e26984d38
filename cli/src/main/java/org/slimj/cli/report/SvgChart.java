package org.slimj.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small, dependency-free x–y chart written as SVG: series of points drawn as lines with markers
 * (or markers only), linear axes with rounded ticks, axis titles and a legend. It needs no fonts
 * or graphics environment, so reports render the same on a headless server.
 */
public final class SvgChart {
  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf"};
  private static final int WIDTH = 640;
  private static final int HEIGHT = 420;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 40;
  private static final int BOTTOM = 60;

  private final String title;
  private final String xTitle;
  private final String yTitle;
  private final List<Series> series = new ArrayList<>();

  /**
   * One named series.
   *
   * @param name legend text
   * @param x x values
   * @param y y values (same length)
   * @param lines whether points are joined by lines (in the given order)
   */
  public record Series(String name, double[] x, double[] y, boolean lines) {
    public Series {
      if (x.length != y.length) {
        throw new IllegalArgumentException("series " + name + ": " + x.length + " x values but " + y.length + " y values");
      }
      for (int i = 0; i < x.length; i++) {
        if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
          throw new IllegalArgumentException("series " + name + ": point " + i + " is not finite: (" + x[i] + ", " + y[i] + ")");
        }
      }
      x = x.clone();
      y = y.clone();
    }
  }

  /** A chart with a title and axis titles. */
  public SvgChart(String title, String xTitle, String yTitle) {
    this.title = title;
    this.xTitle = xTitle;
    this.yTitle = yTitle;
  }

  /** Adds a series; returns this chart. */
  public SvgChart add(Series s) {
    series.add(s);
    return this;
  }

  /** The chart as an SVG document. */
  public String toSvg() {
    double[] xr = range(true);
    double[] yr = range(false);
    double[] xt = ticks(xr[0], xr[1]);
    double[] yt = ticks(yr[0], yr[1]);
    xr = new double[] {Math.min(xr[0], xt[0]), Math.max(xr[1], xt[xt.length - 1])};
    yr = new double[] {Math.min(yr[0], yt[0]), Math.max(yr[1], yt[yt.length - 1])};
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
            + " font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
    s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
    text(s, WIDTH / 2.0, 22, title, "middle", 14, 0);
    int pw = WIDTH - LEFT - RIGHT;
    int ph = HEIGHT - TOP - BOTTOM;
    s.append(String.format(Locale.ROOT,
        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n", LEFT, TOP, pw, ph));
    for (double t : xt) {
      double px = px(t, xr);
      s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", px, TOP,
          px, TOP + ph));
      text(s, px, TOP + ph + 16, label(t), "middle", 11, 0);
    }
    for (double t : yt) {
      double py = py(t, yr);
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", LEFT, py,
          LEFT + pw, py));
      text(s, LEFT - 6, py + 4, label(t), "end", 11, 0);
    }
    text(s, LEFT + pw / 2.0, HEIGHT - 18, xTitle, "middle", 12, 0);
    text(s, 18, TOP + ph / 2.0, yTitle, "middle", 12, -90);
    for (int k = 0; k < series.size(); k++) {
      Series se = series.get(k);
      String color = COLORS[k % COLORS.length];
      if (se.lines() && se.x().length > 1) {
        StringBuilder pts = new StringBuilder();
        for (int i = 0; i < se.x().length; i++) {
          pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px(se.x()[i], xr), py(se.y()[i], yr)));
        }
        s.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
            pts.toString().trim(), color));
      }
      for (int i = 0; i < se.x().length; i++) {
        marker(s, k, px(se.x()[i], xr), py(se.y()[i], yr), color);
      }
      double ly = TOP + 14 + 16 * k;
      marker(s, k, LEFT + 14, ly - 4, color);
      text(s, LEFT + 24, ly, se.name(), "start", 11, 0);
    }
    s.append("</svg>\n");
    return s.toString();
  }

  private static void marker(StringBuilder s, int k, double x, double y, String color) {
    if (k % 2 == 0) {
      s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>%n", x, y, color));
    } else {
      s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\" fill=\"%s\"/>%n", x - 4,
          y - 4, color));
    }
  }

  private double[] range(boolean xAxis) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series se : series) {
      for (double v : xAxis ? se.x() : se.y()) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (lo == Double.POSITIVE_INFINITY) {
      return new double[] {0, 1};
    }
    if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
      double d = Math.max(Math.abs(hi) * 0.05, 1e-9);
      return new double[] {lo - d, hi + d};
    }
    double pad = 0.04 * (hi - lo);
    return new double[] {lo - pad, hi + pad};
  }

  /** Rounded tick positions (1, 2 or 5 times a power of ten apart) covering [lo, hi]. */
  static double[] ticks(double lo, double hi) {
    double raw = (hi - lo) / 6;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = mag;
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * mag >= raw) {
        step = m * mag;
        break;
      }
    }
    double first = Math.floor(lo / step) * step;
    int n = (int) Math.ceil((hi - first) / step - 1e-9) + 1;
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = first + i * step;
    }
    return t;
  }

  private static String label(double v) {
    if (Math.abs(v) < 1e-12) {
      return "0";
    }
    String s = String.format(Locale.ROOT, "%.4g", v);
    if (s.contains("e")) {
      return s;
    }
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s;
  }

  private static double px(double v, double[] r) {
    return LEFT + (v - r[0]) / (r[1] - r[0]) * (WIDTH - LEFT - RIGHT);
  }

  private static double py(double v, double[] r) {
    return TOP + (1 - (v - r[0]) / (r[1] - r[0])) * (HEIGHT - TOP - BOTTOM);
  }

  private static void text(StringBuilder s, double x, double y, String t, String anchor, int size, int rotate) {
    String rot = rotate == 0 ? "" : String.format(Locale.ROOT, " transform=\"rotate(%d %.1f %.1f)\"", rotate, x, y);
    s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\"%s>%s</text>%n", x,
        y, anchor, size, rot, escape(t)));
  }

  /** XML-escapes {@code t}. */
  static String escape(String t) {
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
