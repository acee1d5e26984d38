package org.slimj.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slimj.engine.kernels.ConvShape;

/**
 * Parses the shape parameters of the kernel benchmarks, written without commas (JMH splits {@code
 * -p} values on commas): {@code NxC@S->OkKsT} for a convolution (batch N, C input channels, S×S
 * input, O output channels, K×K kernel, stride T, padding K/2), {@code NxC@SkKsT} for a depthwise
 * convolution, {@code NxC@S} for batch norm, and {@code MxNxK} for a matrix product.
 */
public final class ShapeParams {
  private ShapeParams() {}

  private static final Pattern CONV = Pattern.compile("(\\d+)x(\\d+)@(\\d+)->(\\d+)k(\\d+)s(\\d+)");
  private static final Pattern DEPTHWISE = Pattern.compile("(\\d+)x(\\d+)@(\\d+)k(\\d+)s(\\d+)");
  private static final Pattern PLANES = Pattern.compile("(\\d+)x(\\d+)@(\\d+)");
  private static final Pattern GEMM = Pattern.compile("(\\d+)x(\\d+)x(\\d+)");

  /** A dense convolution at full width; {@code frac} cuts both channel counts (3 input channels are never cut). */
  public static ConvShape conv(String s, double frac) {
    Matcher m = match(CONV, s, "NxC@S->OkKsT, e.g. 64x96@8->576k1s1");
    int k = group(m, 5);
    return new ConvShape(group(m, 1), cut(group(m, 2), frac), group(m, 3), group(m, 3), cut(group(m, 4), frac),
        k, k, group(m, 6), k / 2);
  }

  /** Full-width channels of a convolution shape: {input, output}. */
  public static int[] convMax(String s) {
    Matcher m = match(CONV, s, "NxC@S->OkKsT, e.g. 64x96@8->576k1s1");
    return new int[] {group(m, 2), group(m, 4)};
  }

  /** A depthwise convolution, channels cut by {@code frac}. */
  public static ConvShape depthwise(String s, double frac) {
    Matcher m = match(DEPTHWISE, s, "NxC@SkKsT, e.g. 64x576@8k3s1");
    int c = cut(group(m, 2), frac);
    int k = group(m, 4);
    return new ConvShape(group(m, 1), c, group(m, 3), group(m, 3), c, k, k, group(m, 5), k / 2);
  }

  /** Batch, channels and plane size (height × width) of {@code NxC@S}. */
  public static int[] planes(String s) {
    Matcher m = match(PLANES, s, "NxC@S, e.g. 64x576@8");
    return new int[] {group(m, 1), group(m, 2), group(m, 3) * group(m, 3)};
  }

  /** {m, n, k} of {@code MxNxK}. */
  public static int[] gemm(String s) {
    Matcher m = match(GEMM, s, "MxNxK, e.g. 256x256x256");
    return new int[] {group(m, 1), group(m, 2), group(m, 3)};
  }

  /** Channels kept at width fraction {@code frac}; the 3 channels of an image are never cut. */
  public static int cut(int channels, double frac) {
    if (!(frac > 0) || frac > 1) {
      throw new IllegalArgumentException("frac: expected a value in (0, 1], found " + frac);
    }
    return channels == 3 ? 3 : Math.max(1, (int) Math.round(channels * frac));
  }

  private static Matcher match(Pattern p, String s, String expected) {
    Matcher m = p.matcher(s.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("shape: expected " + expected + ", found '" + s + "'");
    }
    return m;
  }

  private static int group(Matcher m, int i) {
    return Integer.parseInt(m.group(i));
  }
}
