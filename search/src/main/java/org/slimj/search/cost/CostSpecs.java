package org.slimj.search.cost;

import java.nio.file.Path;
import java.util.Locale;
import org.slimj.search.latency.LatencyTableFile;

/**
 * Cost models named on the command line: {@code macs} (or {@code flops}), {@code params}, {@code
 * memory} ({@link MemoryFootprintCost}), {@code peak-memory} ({@link PeakActivationMemory}) and
 * {@code latency:PATH} (a latency table file, {@link LatencyTableFile}).
 */
public final class CostSpecs {
  private CostSpecs() {}

  /** The cost model named {@code spec}. */
  public static CostModel parse(String spec) {
    String s = spec.trim();
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "macs", "flops" -> new MacsCost();
      case "params" -> new ParamsCost();
      case "memory" -> new MemoryFootprintCost();
      case "peak-memory" -> new PeakActivationMemory();
      default -> {
        if (s.regionMatches(true, 0, "latency:", 0, 8) && s.length() > 8) {
          yield LatencyTableFile.read(Path.of(s.substring(8)));
        }
        throw new IllegalArgumentException(
            "cost: expected macs, params, memory, peak-memory or latency:PATH, found '" + spec + "'");
      }
    };
  }
}
