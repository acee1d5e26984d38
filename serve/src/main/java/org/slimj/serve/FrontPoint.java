package org.slimj.serve;

import org.slimj.engine.nn.slim.ChannelConfig;

/**
 * One configuration the server may run: its label, channel counts, the accuracy a search measured
 * for it and its latency from a latency table of this platform.
 *
 * @param label the search's label, e.g. {@code latency:vector-1t<=0.5x}
 * @param config channel count per slot (null: the one configuration of an exported network)
 * @param accuracy top-1 accuracy in [0, 1] the search measured, NaN when unknown
 * @param latencyMs latency of one image in milliseconds, from the platform's latency table
 */
public record FrontPoint(String label, ChannelConfig config, double accuracy, double latencyMs) {
  /** Checks the fields. */
  public FrontPoint {
    if (label == null) {
      throw new IllegalArgumentException("front point: a label is required");
    }
    if (!(accuracy >= 0 && accuracy <= 1) && !Double.isNaN(accuracy)) {
      throw new IllegalArgumentException("front point " + label + ": accuracy must be in [0, 1] or unknown (NaN), found " + accuracy);
    }
    if (!(latencyMs > 0) || !Double.isFinite(latencyMs)) {
      throw new IllegalArgumentException("front point " + label + ": latency must be positive and finite, found "
          + latencyMs + " ms");
    }
  }
}
