package org.slimj.engine.optim;

import java.util.Locale;

/**
 * Learning rate per iteration: linear warm-up from 0 over {@code warmupSteps}, then cosine or
 * linear decay to 0 at {@code totalSteps}, or constant.
 *
 * @param peak learning rate after warm-up
 * @param warmupSteps warm-up iterations
 * @param totalSteps total iterations
 * @param shape decay shape
 */
public record LrSchedule(double peak, int warmupSteps, int totalSteps, Shape shape) {
  /** Decay shapes. */
  public enum Shape {
    /** Half-cosine decay to 0. */
    COSINE,
    /** Linear decay to 0 (the slimmable code's per-iteration linear decay). */
    LINEAR,
    /** No decay. */
    CONSTANT;

    /** Parses {@code cosine}, {@code linear} or {@code constant}. */
    public static Shape parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("schedule: expected cosine, linear or constant, found '" + s + "'", e);
      }
    }
  }

  public LrSchedule {
    if (!(peak > 0) || warmupSteps < 0 || totalSteps < 1 || warmupSteps > totalSteps) {
      throw new IllegalArgumentException(
          "learning-rate schedule: expected lr > 0 and 0 <= warm-up <= total steps >= 1, found lr " + peak
              + ", warm-up " + warmupSteps + ", total " + totalSteps);
    }
  }

  /** Learning rate at iteration {@code step} (0-based). */
  public double at(int step) {
    if (step < warmupSteps) {
      return peak * (step + 1) / warmupSteps;
    }
    int span = Math.max(1, totalSteps - warmupSteps);
    double p = Math.min(1.0, (double) (step - warmupSteps) / span);
    return switch (shape) {
      case COSINE -> 0.5 * peak * (1 + Math.cos(Math.PI * p));
      case LINEAR -> peak * (1 - p);
      case CONSTANT -> peak;
    };
  }
}
