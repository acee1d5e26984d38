package org.slimj.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.engine.nn.slim.ChannelConfig;

class WidthFrontTest {
  @Test
  void dominatedConfigurationsAreDropped() {
    WidthFront f = WidthFront.of(List.of(
        new FrontPoint("slow-bad", ChannelConfig.of(3), 0.70, 3.0),
        new FrontPoint("fast", ChannelConfig.of(1), 0.72, 1.0),
        new FrontPoint("same-time-worse", ChannelConfig.of(2), 0.74, 2.0),
        new FrontPoint("mid", ChannelConfig.of(2), 0.80, 2.0),
        new FrontPoint("wide", ChannelConfig.of(4), 0.85, 4.0)));
    assertEquals(List.of("fast", "mid", "wide"), f.points().stream().map(FrontPoint::label).toList());
    assertArrayEquals(new double[] {1, 2, 4}, f.latenciesMs());
    assertEquals("mid", f.only(1).get(0).label());
  }

  @Test
  void readsASearchResultWithErrorScores(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("greedy.json");
    Files.writeString(file, """
        {"method": "autoslim-greedy", "results": [
          {"label": "a", "config": [4, 8], "costs": {"macs": 10, "latency:p": 0.5}, "score": 0.3,
           "score_name": "val_top1_error_calibrated"},
          {"label": "b", "config": [8, 16], "costs": {"macs": 40, "latency:p": 1.5}, "score": 0.2,
           "score_name": "val_top1_error_calibrated"}]}
        """);
    WidthFront f = WidthFront.read(file, null);
    assertEquals(2, f.size());
    assertEquals(0.7, f.get(0).accuracy(), 1e-12);
    assertArrayEquals(new int[] {8, 16}, f.get(1).config().toArray());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WidthFront.read(file, "latency:q"));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("latency:q"), e.getMessage());
  }

  @Test
  void aResultWithoutLatencyIsNamed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("r.json");
    Files.writeString(file, "{\"results\": [{\"label\": \"x\", \"config\": [1], \"costs\": {\"macs\": 1}, \"score\": 0.9}]}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WidthFront.read(file, null));
    assertTrue(e.getMessage().contains("result x has 0 latency costs"), e.getMessage());
    Files.writeString(file, "{\"results\": [{\"label\": \"x\", \"config\": [0]}]}");
    e = assertThrows(IllegalArgumentException.class, () -> WidthFront.read(file, null));
    assertTrue(e.getMessage().contains("results[0].config[0]"), e.getMessage());
  }
}
