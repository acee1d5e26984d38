package org.slimj.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class SvgChartTest {
  @Test
  void writesWellFormedSvgWithOneMarkerPerPointAndLegend() throws Exception {
    SvgChart c = new SvgChart("acc <vs> MACs", "MACs (M)", "accuracy (%)")
        .add(new SvgChart.Series("uniform & co", new double[] {1, 2, 3}, new double[] {80, 85, 88}, true))
        .add(new SvgChart.Series("greedy", new double[] {1.5, 2.5}, new double[] {83, 87}, false));
    String svg = c.toSvg();
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertEquals("svg", d.getDocumentElement().getTagName());
    // series 0: circles (3 points + 1 legend); series 1: squares (2 + 1) plus the background and plot-frame rects
    assertEquals(4, d.getElementsByTagName("circle").getLength());
    assertEquals(3 + 2, d.getElementsByTagName("rect").getLength());
    assertEquals(1, d.getElementsByTagName("polyline").getLength());
    assertTrue(svg.contains("acc &lt;vs&gt; MACs"), svg);
    assertTrue(svg.contains("uniform &amp; co"), svg);
  }

  @Test
  void ticksAreRoundAndCoverTheRange() {
    double[] t = SvgChart.ticks(0.13, 0.91);
    assertTrue(t[0] <= 0.13 && t[t.length - 1] >= 0.91, java.util.Arrays.toString(t));
    double step = t[1] - t[0];
    assertEquals(0.2, step, 1e-12, java.util.Arrays.toString(t));
    assertTrue(t.length >= 4 && t.length <= 8, java.util.Arrays.toString(t));
  }

  @Test
  void rejectsMismatchedOrNonFiniteSeries() {
    assertThrows(IllegalArgumentException.class, () -> new SvgChart.Series("a", new double[] {1}, new double[] {1, 2}, true));
    assertThrows(IllegalArgumentException.class,
        () -> new SvgChart.Series("a", new double[] {Double.NaN}, new double[] {1}, true));
  }
}
