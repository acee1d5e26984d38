package org.slimj.search.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.Activation;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.space.LayerKind;
import org.slimj.engine.space.LayerSpec;
import org.slimj.engine.space.Slot;
import org.slimj.search.cost.CostSpecs;

/** Latency tables: interpolation, sums over a space, the JSON file and its strict reader. */
class LatencyTableTest {
  private static final Provenance PROV = new Provenance("other-box", "25+36", "Eclipse Adoptium",
      "Some ARM CPU x64", "Linux aarch64", "native", 4, 8, "wall", "2026-01-01T00:00:00Z", "abc123", "test");

  private static final LayerSignature CONV = new LayerSignature(LayerKind.CONV, 3, 1, 8, true, false,
      Activation.RELU, false, 0);
  private static final LayerSignature DW = new LayerSignature(LayerKind.DEPTHWISE, 3, 2, 8, true, false,
      Activation.RELU6, false, 0);
  private static final LayerSignature FC = new LayerSignature(LayerKind.LINEAR, 1, 1, 1, false, true,
      Activation.NONE, false, 4);

  private static LatencyTable table() {
    Map<LayerSignature, LatencyGrid> m = new LinkedHashMap<>();
    m.put(CONV, new LatencyGrid(new int[] {2, 4, 8}, new int[] {4, 8},
        new double[][] {{1.0, 2.0}, {2.0, 4.0}, {4.0, 8.5}}));
    m.put(DW, new LatencyGrid(new int[] {4, 8}, new int[] {1}, new double[][] {{0.5}, {0.75}}));
    m.put(FC, new LatencyGrid(new int[] {4, 8}, new int[] {10}, new double[][] {{0.125}, {0.25}}));
    return new LatencyTable(PROV, m, 1.0, 0.0625);
  }

  /** conv (1 → a) → depthwise on a → linear a → 10. */
  private static ChannelSpace space() {
    return new ChannelSpace(List.of(new Slot("a", 8, 8, 1, 1, false)), List.of(
        new LayerSpec("c", LayerKind.CONV, 3, 1, 8, -1, 2, 0, -1, true, false, Activation.RELU, -1, 0),
        new LayerSpec("d", LayerKind.DEPTHWISE, 3, 2, 8, 0, -1, 0, -1, true, false, Activation.RELU6, -1, 0),
        new LayerSpec("fc", LayerKind.LINEAR, 1, 1, 1, 0, -1, -1, 10, false, true, Activation.NONE, -1, 4)));
  }

  @Test
  void interpolationIsExactOnGridPointsAndBoundedInsideCells() {
    LatencyGrid g = table().entries().get(CONV);
    int[] cins = g.cins();
    int[] couts = g.couts();
    for (int i = 0; i < cins.length; i++) {
      for (int j = 0; j < couts.length; j++) {
        assertEquals(g.measured(i, j), g.at(cins[i], couts[j]), "grid point " + cins[i] + "," + couts[j]);
      }
    }
    assertEquals(3.0, g.at(4, 6), 1e-12, "midpoint of an edge");
    assertEquals(4.625, g.at(6, 6), 1e-12, "centre of a cell: mean of its corners 2, 4, 4, 8.5");
    long seed = 11;
    SplittableRandom rng = new SplittableRandom(seed);
    for (int t = 0; t < 200; t++) {
      int cin = rng.nextInt(2, 9);
      int cout = rng.nextInt(4, 9);
      double v = g.at(cin, cout);
      assertTrue(v >= 1.0 && v <= 8.5, "seed " + seed + ": " + v + " at " + cin + "," + cout + " outside the corners");
      assertTrue(g.at(cin, cout) <= g.at(Math.min(8, cin + 1), cout) + 1e-12, "seed " + seed + ": monotone in cin");
      assertTrue(g.at(cin, cout) <= g.at(cin, Math.min(8, cout + 1)) + 1e-12, "seed " + seed + ": monotone in cout");
    }
    assertEquals(0.5, g.at(1, 4), 1e-12, "linear extension below the grid");
    assertEquals(0.0, new LatencyGrid(new int[] {4, 8}, new int[] {1}, new double[][] {{0.1}, {1.0}}).at(1, 1),
        "never below zero");
  }

  @Test
  void costIsTheSumOfLayerTermsPlusTheFixedTerm() {
    LatencyTable t = table();
    ChannelSpace s = space();
    assertEquals("latency:other-box", t.name());
    assertTrue(t.missing(s).isEmpty());
    // conv (2 → 6): 1.5; depthwise on 6: 0.625; linear 6 → 10: 0.1875; fixed 0.0625
    assertEquals(1.5 + 0.625 + 0.1875 + 0.0625, t.cost(s, ChannelConfig.of(6)), 1e-12);
    LatencyTable partial = new LatencyTable(PROV, Map.of(CONV, t.entries().get(CONV)), 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> partial.cost(s, ChannelConfig.of(6)));
    assertTrue(e.getMessage().contains("layer d"), e.getMessage());
    assertEquals(2, partial.missing(s).size());
    LatencyTable scaled = t.withFit(2.0, 0.5);
    assertEquals(2 * (1.5 + 0.625 + 0.1875) + 0.5, scaled.cost(s, ChannelConfig.of(6)), 1e-12);
    assertEquals(3.0, scaled.layerCost(s.layers().get(0), 2, 6), 1e-12);
  }

  @Test
  void roundTripThroughTheFileKeepsEverything(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("table.json");
    LatencyTableFile.write(f, table());
    LatencyTable back = LatencyTableFile.read(f);
    assertEquals(PROV, back.provenance(), "provenance of a table measured elsewhere is kept as is");
    assertEquals(table().fixedMs(), back.fixedMs());
    LatencyTableFile.write(f, table().withFit(1.25, 0.5));
    assertEquals(1.25, LatencyTableFile.read(f).scale());
    assertEquals(0.5, LatencyTableFile.read(f).fixedMs());
    LatencyTableFile.write(f, table());
    assertEquals(List.copyOf(table().entries().keySet()), List.copyOf(back.entries().keySet()));
    ChannelSpace s = space();
    for (int c = 1; c <= 8; c++) {
      assertEquals(table().cost(s, ChannelConfig.of(c)), back.cost(s, ChannelConfig.of(c)), "a = " + c);
    }
    try (var files = Files.list(dir)) {
      assertEquals(List.of(f), files.toList(), "no temporary file left behind");
    }
    LatencyTable viaSpec = (LatencyTable) CostSpecs.parse("latency:" + f);
    assertEquals(back.cost(s, ChannelConfig.of(5)), viaSpec.cost(s, ChannelConfig.of(5)));
  }

  private static void assertRejected(String text, String field) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LatencyTableFile.parse(text, "t.json"),
        "expected a rejection naming " + field);
    assertTrue(e.getMessage().startsWith("t.json") && e.getMessage().contains(field),
        "message should name the file and " + field + ": " + e.getMessage());
  }

  @Test
  void corruptFilesAreRejectedWithTheFieldNamed() {
    String good = LatencyTableFile.toJson(table());
    LatencyTableFile.parse(good, "t.json");
    assertRejected(good.replace("\"threads\": 4", "\"threads\": 0"), "threads");
    assertRejected(good.replace("\"batch\": 8", "\"batch\": \"8\""), "provenance.batch");
    assertRejected(good.replace("\"clock\": \"wall\"", "\"clock\": \"sundial\""), "clock");
    assertRejected(good.replace("\"cpu\": \"Some ARM CPU x64\",", ""), "provenance.cpu");
    assertRejected(good.replace("\"format\": \"slimj-latency-table/1\"", "\"format\": \"other/2\""), "format");
    assertRejected(good.replace("\"kind\": \"conv\"", "\"kind\": \"pool\""), "entries[0].signature.kind");
    assertRejected(good.replace("\"activation\": \"relu6\"", "\"activation\": 6"), "entries[1].signature.activation");
    assertRejected(good.replace("0.75", "-0.75"), "entries[1].ms[1][0]");
    assertRejected(good.replace("0.75", "NaN"), "not valid JSON");
    assertRejected(good.replace("\"cout\": [\n        4,\n        8\n      ]", "\"cout\": [8, 4]"), "entries[0].cout");
    assertRejected(good.replace("\"pooled_size\": 4", "\"pooled_size\": 4, \"extra\": 1"), "unknown field \"extra\"");
    assertRejected(good + "{}", "t.json");
    assertRejected(good.replace("\"scale\": 1.0", "\"scale\": 0"), "field scale");
    assertRejected(good.replace("\"scale\": 1.0,", ""), "field scale");
    assertRejected("[]", "(root)");
    String dup = good.replace("\"kind\": \"depthwise\",\n        \"kernel\": 3,\n        \"stride\": 2",
        "\"kind\": \"conv\",\n        \"kernel\": 3,\n        \"stride\": 1").replace("\"activation\": \"relu6\"",
        "\"activation\": \"relu\"");
    assertFalse(dup.equals(good), "the duplicate-signature edit must apply");
    assertRejected(dup, "duplicate");
  }
}
