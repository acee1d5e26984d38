package org.slimj.search.greedy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slimj.engine.space.ChannelSpace;

/**
 * The greedy path as JSON-ready rows, for the {@code trajectory} entry of a search result (error
 * against cost, step by step, is what a plot of greedy slimming shows).
 */
public final class GreedyTrajectory {
  private GreedyTrajectory() {}

  /** One row per step: {@code step}, {@code slot} (name, null at step 0), {@code config}, {@code groups}, {@code cost}, {@code error}. */
  public static List<Map<String, Object>> rows(ChannelSpace space, List<GreedySlimming.Step> steps) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (GreedySlimming.Step s : steps) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("step", s.step());
      row.put("slot", s.slot() < 0 ? null : space.slots().get(s.slot()).name());
      row.put("config", s.config().toArray());
      row.put("groups", s.groups());
      row.put("cost", s.cost());
      row.put("error", s.error());
      out.add(row);
    }
    return out;
  }
}
