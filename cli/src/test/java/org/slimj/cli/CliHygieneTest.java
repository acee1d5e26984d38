package org.slimj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slimj.cli.CliRun.run;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command line says in logs: help without picocli warnings, refused widths, file errors. */
class CliHygieneTest {
  @Test
  void helpPrintsNoFormatWarnings() {
    PrintStream saved = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      for (String[] args : new String[][] {{"train", "--help"}, {"search", "multiplatform", "--help"},
          {"demo", "--help"}, {"serve", "--help"}, {"loadtest", "--help"}}) {
        CliRun r = run(args);
        assertEquals(0, r.code(), String.join(" ", args));
        assertFalse(r.out().contains("%n") || r.err().contains("picocli WARN"), r.out() + r.err());
      }
    } finally {
      System.setErr(saved);
    }
    String err = captured.toString(StandardCharsets.UTF_8);
    assertFalse(err.contains("picocli WARN"), err);
    assertTrue(run("demo", "--help").out().contains("--threads"));
  }

  @Test
  void widthsAboveTheMaximumAreRefused(@TempDir Path dir) {
    String out = dir.resolve("r").toString();
    for (String[] w : new String[][] {{"--widths", "0.25,1.5"}, {"--width-range", "0.25:1.2"}}) {
      CliRun r = run("train", "--model", "smallcnn", "--mode", "us", "--max-width", "1.0", w[0], w[1], "--data", "sample",
          "--out", out);
      assertNotEquals(0, r.code(), String.join(" ", w));
      assertTrue(r.err().contains("above the model's maximum width 1.0"), r.err());
    }
    CliRun single = run("train", "--model", "smallcnn", "--mode", "single", "--max-width", "0.5", "--width", "0.75",
        "--data", "sample", "--out", out);
    assertNotEquals(0, single.code());
    assertTrue(single.err().contains("--width: width 0.75"), single.err());
  }

  @Test
  void fileErrorsNameTheFile(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("nothing.safetensors");
    CliRun r = run("eval", "--checkpoint", missing.toString());
    assertNotEquals(0, r.code());
    assertTrue(r.err().contains(missing.toString()) && !r.err().strip().equals("slimj: " + missing), r.err());
    Files.writeString(dir.resolve("f"), "x");
  }
}
