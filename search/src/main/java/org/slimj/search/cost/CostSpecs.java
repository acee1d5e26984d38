package org.slimj.search.cost;

import java.util.Locale;

/**
 * Cost models named on the command line: {@code macs}, {@code params}. (Memory and latency
 * tables are added by their cost models.)
 */
public final class CostSpecs {
  private CostSpecs() {}

  /** The cost model named {@code spec}. */
  public static CostModel parse(String spec) {
    String s = spec.trim();
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "macs", "flops" -> new MacsCost();
      case "params" -> new ParamsCost();
      default -> throw new IllegalArgumentException("cost: expected macs or params, found '" + spec + "'");
    };
  }
}
