package org.slimj.search.greedy;

import java.util.HashMap;
import java.util.Map;
import org.slimj.engine.nn.slim.ChannelConfig;

/**
 * Remembers the error of every configuration already evaluated, so a configuration reached twice
 * (two group indices that round to the same channel count, or a found configuration evaluated
 * again for its report) costs one forward pass. Not thread-safe.
 */
public final class CachingEvaluator implements ErrorEvaluator {
  private final ErrorEvaluator inner;
  private final Map<ChannelConfig, Double> cache = new HashMap<>();
  private int misses;

  /** Caches the errors {@code inner} computes. */
  public CachingEvaluator(ErrorEvaluator inner) {
    this.inner = java.util.Objects.requireNonNull(inner, "evaluator");
  }

  @Override
  public double error(ChannelConfig cfg) {
    Double e = cache.get(cfg);
    if (e == null) {
      double v = inner.error(cfg);
      if (Double.isNaN(v)) {
        throw new IllegalStateException("the evaluator returned NaN for configuration " + cfg);
      }
      misses++;
      cache.put(cfg, v);
      return v;
    }
    return e;
  }

  /** Number of configurations actually evaluated (cache misses). */
  public int evaluations() {
    return misses;
  }
}
