package org.slimj.search.joslim;

import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.ChannelSpace;

/**
 * Joslim's width vector α ∈ [lower, 1]^D, one multiplier per slot of a model's {@link ChannelSpace}
 * (slots already tie the layers joined by residual adds), and its channel counts: slot d gets
 * {@code max(1, floor(α_d · max_d))} channels, the reference code's {@code int(α·C)} (no divisor).
 * Joslim's extra rule that a stage's residual width is at least the previous stage's belongs to
 * its MobileNet v2 encoding only; slimj's models run any per-slot counts, so it is not imposed.
 * The Gaussian processes see the unit-cube coordinates {@code u = (α − lower) / (1 − lower)}.
 */
public final class WidthEncoding {
  private final ChannelSpace space;
  private final double lower;

  /** The encoding of {@code space} with multipliers in {@code [lower, 1]}, {@code 0 < lower < 1}. */
  public WidthEncoding(ChannelSpace space, double lower) {
    if (!(lower > 0) || !(lower < 1)) {
      throw new IllegalArgumentException("Joslim: expected a lower width in (0, 1), found " + lower);
    }
    if (space.slots().isEmpty()) {
      throw new IllegalArgumentException("Joslim: the channel space has no slots");
    }
    this.space = space;
    this.lower = lower;
  }

  /** The channel space. */
  public ChannelSpace space() {
    return space;
  }

  /** The lower end of the box. */
  public double lower() {
    return lower;
  }

  /** Number of dimensions D (slots). */
  public int dimensions() {
    return space.slots().size();
  }

  /** The channel counts of {@code alpha} (one multiplier per slot, clipped to the box). */
  public ChannelConfig decode(double[] alpha) {
    check(alpha);
    int[] c = new int[alpha.length];
    for (int d = 0; d < c.length; d++) {
      double a = Math.min(1, Math.max(lower, alpha[d]));
      int max = space.slots().get(d).max();
      c[d] = (int) Math.max(1, Math.min(max, Math.floor(a * max + 1e-9)));
    }
    return ChannelConfig.of(c);
  }

  /** The uniform vector {@code w·1}. */
  public double[] uniform(double w) {
    double[] a = new double[dimensions()];
    java.util.Arrays.fill(a, w);
    return a;
  }

  /** α of the smallest configuration, {@code lower·1}. */
  public double[] minimum() {
    return uniform(lower);
  }

  /** Unit-cube coordinates of {@code alpha}. */
  public double[] toUnit(double[] alpha) {
    check(alpha);
    double[] u = new double[alpha.length];
    for (int d = 0; d < u.length; d++) {
      u[d] = (alpha[d] - lower) / (1 - lower);
    }
    return u;
  }

  /** α of unit-cube coordinates {@code u}, clipped to the box. */
  public double[] fromUnit(double[] u) {
    check(u);
    double[] a = new double[u.length];
    for (int d = 0; d < a.length; d++) {
      a[d] = lower + (1 - lower) * Math.min(1, Math.max(0, u[d]));
    }
    return a;
  }

  private void check(double[] v) {
    if (v.length != dimensions()) {
      throw new IllegalArgumentException("Joslim: expected " + dimensions() + " width multipliers (one per slot), found "
          + v.length);
    }
    for (double x : v) {
      if (!Double.isFinite(x)) {
        throw new IllegalArgumentException("Joslim: width multipliers must be finite, found " + java.util.Arrays.toString(v));
      }
    }
  }
}
