package org.slimj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slimj.cli.CliRun.run;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The command-line front: help, argument errors, and the JSON of {@code bench layers}. */
class CommandLineTest {
  @Test
  void helpListsTheCommands() {
    CliRun r = run("--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("demo") && r.out().contains("bench"), "help output: [" + r.out() + "] err: [" + r.err() + "]");
  }

  @Test
  void badArgumentsFailWithAOneLineError() {
    CliRun r = run("bench", "layers", "--threads", "x");
    assertNotEquals(0, r.code());
    assertTrue(r.err().contains("--threads"), r.err());
    CliRun r2 = run("bench", "layers", "--backend", "gpu", "--batch", "1", "--reps", "1");
    assertNotEquals(0, r2.code());
    assertTrue(r2.err().contains("'gpu'"), r2.err());
    CliRun r3 = run("nosuchcommand");
    assertNotEquals(0, r3.code());
  }

  @Test
  void benchLayersPrintsTheJsonOfLayersMd() {
    CliRun r = run("bench", "layers", "--json", "--batch", "1", "--reps", "1", "--min-rep-seconds", "0.001",
        "--threads", "1", "--backend", "vector");
    assertEquals(0, r.code(), r.err());
    JsonObject o = JsonParser.parseString(r.out().trim()).getAsJsonObject();
    var results = o.getAsJsonArray("results");
    assertEquals(16, results.size(), "4 layers x 2 widths x 2 passes");
    Set<String> layers = new HashSet<>();
    for (var e : results) {
      JsonObject x = e.getAsJsonObject();
      layers.add(x.get("layer").getAsString());
      assertEquals("vector", x.get("backend").getAsString());
      assertEquals(1, x.get("threads").getAsInt());
      String pass = x.get("pass").getAsString();
      assertTrue(pass.equals("forward") || pass.equals("forward_backward"), pass);
      double frac = x.get("frac").getAsDouble();
      assertTrue(frac == 1.0 || frac == 0.5);
      assertTrue(x.get("median_ms").getAsDouble() > 0);
      assertTrue(x.get("gflops").getAsDouble() > 0);
    }
    assertEquals(Set.of("pw 96->576 @8x8", "dw3x3 576 @8x8", "conv3x3 3->32 @32x32", "pw 32->192 @32x32"), layers);
  }
}
