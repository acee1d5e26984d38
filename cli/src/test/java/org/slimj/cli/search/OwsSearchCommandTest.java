package org.slimj.cli.search;

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

/** train --mode ows, then search ows, end to end on a slice of the embedded sample. */
class OwsSearchCommandTest {
  @Test
  void owsTrainingThenSearchGivesFeasibleConfigurations(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("run");
    CliRun t = run("train", "--model", "smallcnn", "--mode", "ows", "--data", "sample", "--limit-train", "256", "--val",
        "200", "--epochs", "1", "--batch", "32", "--out", out.toString(), "--no-progress", "--threads", "2", "--seed", "5");
    assertEquals(0, t.code(), t.err() + t.out());
    Path ckpt = out.resolve("checkpoint.safetensors");
    Path result = dir.resolve("ows.json");
    CliRun s = run("search", "ows", "--checkpoint", ckpt.toString(), "--cost", "macs", "--budgets", "0.9,0.5,0.3",
        "--out", result.toString(), "--json");
    assertEquals(0, s.code(), s.err());
    JsonObject doc = JsonParser.parseString(Files.readString(result)).getAsJsonObject();
    assertEquals(JsonParser.parseString(s.out()), doc, "--json prints what --out writes");
    assertEquals("ows", doc.get("method").getAsString());
    var results = doc.getAsJsonArray("results");
    assertEquals(3, results.size());
    double full = doc.getAsJsonObject("settings").get("cost_of_max").getAsDouble();
    double[] fractions = {0.9, 0.5, 0.3};
    for (int i = 0; i < 3; i++) {
      JsonObject r = results.get(i).getAsJsonObject();
      double macs = r.getAsJsonObject("costs").get("macs").getAsDouble();
      assertTrue(macs <= fractions[i] * full, "budget " + fractions[i] + " met: " + r);
      JsonObject how = r.getAsJsonObject("how");
      assertTrue(how.get("feasible").getAsBoolean());
      assertEquals("exact", how.get("solver").getAsString(), "the exact solver is the default");
      assertEquals("macs", how.get("cost").getAsString());
      assertEquals(macs, how.get("cost_used").getAsDouble(), 0);
      assertEquals(fractions[i] * full, how.get("budget").getAsDouble(), 1e-6 * full);
      assertTrue(how.get("credit_upper_bound").getAsDouble() >= r.get("score").getAsDouble() - 1e-12, r.toString());
      assertEquals(3, r.getAsJsonArray("config").size());
      assertEquals("ows_credit", r.get("score_name").getAsString());
    }

    CliRun lag = run("search", "ows", "--checkpoint", ckpt.toString(), "--cost", "macs", "--budgets", "0.9,0.5,0.3",
        "--solver", "lagrangian", "--json");
    assertEquals(0, lag.code(), lag.err());
    var lagResults = JsonParser.parseString(lag.out()).getAsJsonObject().getAsJsonArray("results");
    for (int i = 0; i < 3; i++) {
      JsonObject l = lagResults.get(i).getAsJsonObject();
      JsonObject e = results.get(i).getAsJsonObject();
      assertEquals("lagrangian", l.getAsJsonObject("how").get("solver").getAsString());
      assertTrue(l.getAsJsonObject("how").get("feasible").getAsBoolean());
      assertTrue(e.getAsJsonObject("how").get("credit_upper_bound").getAsDouble() >= l.get("score").getAsDouble() - 1e-12,
          "no feasible configuration beats the exact bound: " + l + " vs " + e);
    }
    CliRun text = run("search", "ows", "--checkpoint", ckpt.toString(), "--budgets", "0.5");
    assertEquals(0, text.code(), text.err());
    assertTrue(text.out().contains("solver exact") && text.out().contains("bound"), text.out());
    CliRun buckets = run("search", "ows", "--checkpoint", ckpt.toString(), "--buckets", "0");
    assertNotEquals(0, buckets.code());
    assertTrue(buckets.err().contains("--buckets"), buckets.err());

    CliRun low = run("search", "ows", "--checkpoint", ckpt.toString(), "--budgets", "0.01");
    assertNotEquals(0, low.code());
    assertTrue(low.err().contains("cheapest"), low.err());
    CliRun someLow = run("search", "ows", "--checkpoint", ckpt.toString(), "--budgets", "0.9,0.01", "--json");
    assertEquals(0, someLow.code(), someLow.err());
    var someDoc = com.google.gson.JsonParser.parseString(someLow.out()).getAsJsonObject();
    assertEquals(1, someDoc.getAsJsonArray("results").size(), someLow.out());
    assertEquals(1, someDoc.getAsJsonArray("unreached").size(), someLow.out());
    assertTrue(someLow.err().contains("cheapest"), someLow.err());
    CliRun groups = run("search", "ows", "--checkpoint", ckpt.toString(), "--groups", "7");
    assertNotEquals(0, groups.code());
    assertTrue(groups.err().contains("--groups 7"), groups.err());

    Path us = dir.resolve("us");
    assertEquals(0, run("train", "--model", "smallcnn", "--mode", "us", "--data", "sample", "--limit-train", "64", "--val",
        "32", "--epochs", "1", "--batch", "32", "--out", us.toString(), "--no-progress", "--seed", "5").code());
    CliRun notOws = run("search", "ows", "--checkpoint", us.resolve("checkpoint.safetensors").toString());
    assertNotEquals(0, notOws.code());
    assertTrue(notOws.err().contains("ows.credits"), notOws.err());
  }

  @Test
  void adaptiveTrainingResumesExactlyAndFeedsTheMultiPlatformSearch(@TempDir Path dir) throws Exception {
    String[] common = {"train", "--model", "smallcnn", "--mode", "multiplatform", "--platform", "small=macs@30%",
        "--platform", "big=params@70%", "--sampler", "mixture", "--crp-alpha", "1", "--aows-warmup", "1", "--data",
        "sample", "--limit-train", "128", "--val", "100", "--epochs", "2", "--batch", "32", "--no-progress", "--seed", "8"};
    Path straight = dir.resolve("straight");
    CliRun a = run(concat(common, "--out", straight.toString()));
    assertEquals(0, a.code(), a.err() + a.out());
    assertTrue(a.out().contains("mixture sampling"), a.out());

    // Exact resume of the adaptive strategies is tested in the search module (AdaptiveResumeTest); here the
    // credits are saved, and a resume with another sampler is refused.
    var meta = org.slimj.engine.io.Checkpoint.load(straight.resolve("checkpoint.safetensors")).metadata();
    assertTrue(meta.get("ows.credits").matches(".*[1-9].*"), "credits were collected: " + meta.get("ows.credits"));
    assertTrue(meta.get("train.adaptive").contains("sampler=mixture"), meta.get("train.adaptive"));
    String[] gibbs = common.clone();
    gibbs[java.util.Arrays.asList(common).indexOf("mixture")] = "gibbs";
    CliRun clash = run(concat(gibbs, "--out", straight.toString(), "--resume"));
    assertNotEquals(0, clash.code());
    assertTrue(clash.err().contains("train.adaptive"), clash.err());

    Path result = dir.resolve("mp.json");
    CliRun s = run("search", "multiplatform", "--checkpoint", straight.resolve("checkpoint.safetensors").toString(),
        "--platform", "small=macs@40%:3", "--platform", "big=macs@90%:1", "--calibrate-batches", "2", "--out",
        result.toString(), "--json");
    assertEquals(0, s.code(), s.err());
    JsonObject doc = JsonParser.parseString(Files.readString(result)).getAsJsonObject();
    var results = doc.getAsJsonArray("results");
    assertEquals(2, results.size());
    double weighted = 0;
    double[] shares = {0.75, 0.25};
    for (int i = 0; i < 2; i++) {
      JsonObject r = results.get(i).getAsJsonObject();
      assertEquals("val_top1", r.get("score_name").getAsString());
      double acc = r.get("score").getAsDouble();
      assertTrue(acc >= 0 && acc <= 1, r.toString());
      assertEquals(shares[i], r.getAsJsonObject("how").get("share").getAsDouble(), 1e-12);
      assertTrue(r.getAsJsonObject("how").get("feasible").getAsBoolean());
      weighted += shares[i] * acc;
    }
    assertEquals(weighted, doc.getAsJsonObject("settings").get("weighted_val_top1").getAsDouble(), 1e-12);
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
