package org.slimj.cli.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slimj.cli.CliRun.run;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.cli.CliRun;

/** {@code ./slimj info} costs, {@code ./slimj profile} and {@code ./slimj profile validate} end to end (tiny timings). */
class ProfileCommandTest {
  private static final String[] MODEL = {"--model", "smallcnn", "--max-width", "0.5", "--input", "12"};
  private static final String[] QUICK = {"--warmup-ms", "0.2", "--iteration-ms", "0.2", "--iterations", "1",
    "--warmup-seconds", "0.05"};

  private static String[] concat(String[]... parts) {
    return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
  }

  @Test
  void infoReportsEveryCost() {
    CliRun r = run("info", "--model", "mobilenetv2", "--input", "32", "--in-channels", "3", "--classes", "10", "--json");
    assertEquals(0, r.code(), r.err());
    JsonObject o = JsonParser.parseString(r.out().trim()).getAsJsonObject();
    assertTrue(Math.abs(o.get("macs").getAsLong() - 88e6) < 0.01 * 88e6, r.out());
    assertEquals(312L * 1024 * 4, o.get("peak_memory_bytes").getAsLong());
    assertTrue(o.get("memory_bytes").getAsLong() > 4 * o.get("params").getAsLong());
    assertTrue(o.getAsJsonArray("layers").get(0).getAsJsonObject().has("memory_bytes"));
    assertTrue(!o.has("latency"));
  }

  @Test
  void profileWritesATableThatInfoAndValidateUse(@TempDir Path dir) throws Exception {
    Path table = dir.resolve("t.json");
    CliRun p = run(concat(new String[] {"profile"}, MODEL, QUICK, new String[] {"--backend", "scalar", "--threads", "1",
        "--grid", "2", "--calibration-configs", "1", "--out", table.toString()}));
    assertEquals(0, p.code(), p.err());
    assertTrue(Files.exists(table) && p.out().contains("wrote"), p.out());
    CliRun info = run(concat(new String[] {"info"}, MODEL, new String[] {"--width", "0.5", "--latency-table", table.toString(), "--json"}));
    assertEquals(0, info.code(), info.err());
    JsonObject lat = JsonParser.parseString(info.out().trim()).getAsJsonObject().getAsJsonObject("latency");
    assertEquals("latency:scalar-1t-b1", lat.get("cost").getAsString());
    CliRun v = run(concat(new String[] {"profile", "validate"}, MODEL, QUICK,
        new String[] {"--table", table.toString(), "--configs", "2", "--seed", "4", "--json"}));
    assertEquals(0, v.code(), v.err());
    JsonObject vo = JsonParser.parseString(v.out().trim()).getAsJsonObject();
    assertEquals(2, vo.getAsJsonArray("results").size());
    assertTrue(vo.get("mape_percent").getAsDouble() >= 0);

    Path foreign = dir.resolve("foreign.json");
    Files.writeString(foreign, Files.readString(table).replaceFirst("\"cpu\": \"[^\"]*\"", "\"cpu\": \"Elsewhere 9000\""));
    CliRun f = run(concat(new String[] {"profile", "validate"}, MODEL, QUICK, new String[] {"--table", foreign.toString()}));
    assertNotEquals(0, f.code());
    assertTrue(f.err().contains("another platform") && f.err().trim().lines().count() == 1, f.err());
    CliRun imported = run(concat(new String[] {"info"}, MODEL, new String[] {"--width", "0.5", "--latency-table", foreign.toString()}));
    assertEquals(0, imported.code(), "a table from elsewhere is usable as a platform: " + imported.err());
  }

  @Test
  void profileNeedsAModelAndAnOutput() {
    CliRun r = run("profile", "--grid", "3");
    assertNotEquals(0, r.code());
    assertTrue(r.err().contains("--model"), r.err());
  }
}
