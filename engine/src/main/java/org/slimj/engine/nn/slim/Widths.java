package org.slimj.engine.nn.slim;

/** Turning width multipliers into channel counts. */
public final class Widths {
  private Widths() {}

  /**
   * The channel rounding of the slimmable and MobileNet reference code: round {@code v} to the
   * nearest multiple of {@code divisor} (at least {@code minValue}), adding one divisor if that
   * loses more than 10%. With {@code divisor == 1} this is ordinary rounding, at least 1.
   */
  public static int makeDivisible(double v, int divisor, int minValue) {
    if (divisor < 1 || minValue < 1) {
      throw new IllegalArgumentException(
          "divisor and minimum must be at least 1, found " + divisor + " and " + minValue);
    }
    int n = Math.max(minValue, (int) Math.floor(v + divisor / 2.0) / divisor * divisor);
    if (n < 0.9 * v) {
      n += divisor;
    }
    return n;
  }

  /** Channels of a layer of {@code max} channels at width {@code width}, never above {@code max}. */
  public static int channels(int max, double width, int divisor) {
    if (!(width > 0) || width > 1.0 + 1e-9) {
      throw new IllegalArgumentException("width must be in (0, 1], found " + width);
    }
    return Math.min(max, makeDivisible(max * width, divisor, Math.min(divisor, max)));
  }
}
