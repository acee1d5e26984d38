package org.slimj.cli.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slimj.cli.CliRun.run;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.cli.CliRun;
import org.slimj.engine.space.Slot;

/**
 * Issue 9: with a trained supernet, OWS answers use their budgets. Trains a small OWS supernet on the
 * embedded sample, then checks that (1) the credits favour wider groups in every slot (the mean credit
 * of a slot's wider half above its narrower half), (2) the answers' costs never fall as the budget
 * grows, and
 * (3) each answer uses at least 90% of its budget unless no slot could take a wider group with a
 * better credit (so a smaller budget never gives a costlier answer, and a larger one stops below 90%
 * only at the configuration of best credit). Before the sub-batch draws and control variates, one configuration per pass gave
 * too few credits to rank the groups and the answer stopped far below the larger budgets.
 */
class OwsBudgetUseTest {
  private static final double[] BUDGETS = {0.9, 0.7, 0.5, 0.3};

  @Test
  void answersRiseWithTheBudgetAndUseIt(@TempDir Path dir) throws Exception {
    String seed = "3";
    Path out = dir.resolve("run");
    CliRun t = run("train", "--model", "smallcnn", "--mode", "ows", "--data", "sample", "--limit-train", "2400", "--val",
        "200", "--epochs", "3", "--batch", "64", "--lr", "0.1", "--out", out.toString(), "--no-progress", "--threads",
        "2", "--seed", seed);
    assertEquals(0, t.code(), t.err() + t.out());
    Path ckpt = out.resolve("checkpoint.safetensors");
    OwsCheckpoint c = OwsCheckpoint.read(ckpt);
    double[][] credits = c.credits();
    for (int s = 0; s < credits.length; s++) {
      int lo = c.minGroup();
      int mid = (lo + c.groups()) / 2;
      double narrow = Arrays.stream(credits[s], lo - 1, mid).average().orElseThrow();
      double wide = Arrays.stream(credits[s], mid, c.groups()).average().orElseThrow();
      assertTrue(wide > narrow, "seed " + seed + ", slot " + s + ": wider groups credited no better than narrower: "
          + Arrays.toString(credits[s]));
    }

    CliRun s = run("search", "ows", "--checkpoint", ckpt.toString(), "--cost", "macs", "--budgets",
        String.join(",", Arrays.stream(BUDGETS).mapToObj(Double::toString).toList()), "--json");
    assertEquals(0, s.code(), s.err());
    JsonObject doc = JsonParser.parseString(s.out()).getAsJsonObject();
    double full = doc.getAsJsonObject("settings").get("cost_of_max").getAsDouble();
    JsonArray results = doc.getAsJsonArray("results");
    assertEquals(BUDGETS.length, results.size(), s.out());
    double previous = Double.POSITIVE_INFINITY;
    for (int i = 0; i < BUDGETS.length; i++) {
      JsonObject r = results.get(i).getAsJsonObject();
      double macs = r.getAsJsonObject("costs").get("macs").getAsDouble();
      double budget = BUDGETS[i] * full;
      String where = "seed " + seed + ", budget " + BUDGETS[i] + ": " + r;
      assertTrue(macs <= budget, where);
      assertTrue(macs <= previous, "costs must not rise as the budget falls; " + where);
      previous = macs;
      if (macs < 0.9 * budget) {
        JsonArray config = r.getAsJsonArray("config");
        for (int slot = 0; slot < config.size(); slot++) {
          Slot sl = c.loaded().model().space().slots().get(slot);
          int chosen = groupOf(sl, config.get(slot).getAsInt(), c.groups());
          for (int g = chosen + 1; g <= c.groups(); g++) {
            assertTrue(credits[slot][g - 1] <= credits[slot][chosen - 1], "uses under 90% of the budget although slot "
                + slot + " group " + g + " is credited better than its group " + chosen + "; " + where);
          }
        }
      }
    }
  }

  /** The group whose channel count is {@code channels}. */
  private static int groupOf(Slot slot, int channels, int groups) {
    for (int g = 1; g <= groups; g++) {
      if (slot.groupChannels(g, groups) == channels) {
        return g;
      }
    }
    throw new AssertionError("slot " + slot.name() + ": " + channels + " channels is no group's count");
  }
}
