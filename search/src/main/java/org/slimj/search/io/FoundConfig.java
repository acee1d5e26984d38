package org.slimj.search.io;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slimj.engine.nn.slim.ChannelConfig;

/**
 * One configuration a search produced, as written to its JSON result.
 *
 * @param label what it was found for, e.g. {@code macs<=5000000} or {@code latency:vector-2t<=1.2ms}
 * @param config channel count per slot
 * @param costs cost name to value (see {@link org.slimj.search.cost.CostModel#name()})
 * @param score accuracy or proxy the search ranked it by (NaN when none); say which in {@code scoreName}
 * @param scoreName what {@code score} is, e.g. {@code val_top1} or {@code ows_credit}
 * @param how how it was found (step, multiplier, iteration)
 */
public record FoundConfig(
    String label, ChannelConfig config, Map<String, Double> costs, double score, String scoreName,
    Map<String, Object> how) {
  public FoundConfig {
    costs = new LinkedHashMap<>(costs);
    how = new LinkedHashMap<>(how);
  }
}
