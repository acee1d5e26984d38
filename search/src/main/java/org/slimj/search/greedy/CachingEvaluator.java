package org.slimj.search.greedy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    return errors(List.of(cfg))[0];
  }

  /** Asks the inner evaluator once for all of {@code cfgs} not seen before (each distinct one once). */
  @Override
  public double[] errors(List<ChannelConfig> cfgs) {
    Set<ChannelConfig> missing = new LinkedHashSet<>();
    for (ChannelConfig c : cfgs) {
      if (!cache.containsKey(c)) {
        missing.add(c);
      }
    }
    if (!missing.isEmpty()) {
      List<ChannelConfig> ask = new ArrayList<>(missing);
      double[] v = ErrorEvaluator.checked(inner.errors(ask), ask);
      for (int i = 0; i < v.length; i++) {
        cache.put(ask.get(i), v[i]);
      }
      misses += ask.size();
    }
    double[] out = new double[cfgs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = cache.get(cfgs.get(i));
    }
    return out;
  }

  /** Number of configurations actually evaluated (cache misses). */
  public int evaluations() {
    return misses;
  }
}
