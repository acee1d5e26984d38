package org.slimj.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.slimj.cli.report.SvgChart;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.search.cost.CostModel;

/**
 * The demo's report: Markdown with SVG plots of accuracy against MACs and against each platform's
 * predicted latency, searched configurations against uniform widths, and tables of every point.
 */
public final class DemoReport {
  private final Path dir;
  private final ChannelSpace space;
  private final StringBuilder md = new StringBuilder();

  /**
   * A named set of evaluated configurations drawn as one series.
   *
   * @param name legend text
   * @param rows evaluated configurations
   * @param lines whether to join the points (uniform widths) or draw markers only
   */
  public record Series(String name, List<EvalRows.Row> rows, boolean lines) {}

  /** A report written into {@code dir} for configurations of {@code space}. */
  public DemoReport(Path dir, ChannelSpace space) {
    this.dir = dir;
    this.space = space;
  }

  /** Appends Markdown text (a paragraph, a list, a heading). */
  public DemoReport text(String markdown) {
    md.append(markdown).append("\n\n");
    return this;
  }

  /**
   * Appends a plot of accuracy against {@code cost} (with its values divided by {@code scale} and
   * shown in {@code unit}) for {@code series}, saved as {@code plots/<file>.svg}, followed by a
   * table of the points.
   */
  public DemoReport accuracyAgainst(String title, CostModel cost, double scale, String unit, List<Series> series,
      String file) throws IOException {
    SvgChart chart = new SvgChart(title, cost.name() + " (" + unit + ")", "test accuracy (%)");
    List<String[]> table = new ArrayList<>();
    for (Series s : series) {
      List<EvalRows.Row> rows = new ArrayList<>(s.rows());
      rows.sort(Comparator.comparingDouble(r -> cost.cost(space, r.config())));
      double[] x = new double[rows.size()];
      double[] y = new double[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        EvalRows.Row r = rows.get(i);
        x[i] = cost.cost(space, r.config()) / scale;
        y[i] = 100 * r.accuracy();
        table.add(new String[] {s.name(), r.label(), String.format(Locale.ROOT, "%.4g", x[i]),
            String.format(Locale.ROOT, "%.2f", y[i]), String.format(Locale.ROOT, "%.2f", r.macs() / 1e6),
            Arrays.toString(r.config().toArray())});
      }
      chart.add(new SvgChart.Series(s.name(), x, y, s.lines()));
    }
    Path plots = dir.resolve("plots");
    Files.createDirectories(plots);
    writeAtomically(plots.resolve(file + ".svg"), chart.toSvg());
    md.append("![").append(title).append("](plots/").append(file).append(".svg)\n\n");
    md.append("| series | configuration | ").append(cost.name()).append(" (").append(unit)
        .append(") | test accuracy (%) | MACs (M) | channels |\n|---|---|---|---|---|---|\n");
    for (String[] r : table) {
      md.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    md.append('\n');
    return this;
  }

  /** Writes {@code report.md} into the report directory. */
  public Path write() throws IOException {
    Path f = dir.resolve("report.md");
    writeAtomically(f, md.toString());
    return f;
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    org.slimj.engine.io.AtomicFiles.writeString(file, text);
  }
}
