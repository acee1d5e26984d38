package org.slimj.cli.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seeded mutations of a file's bytes, the kind a hostile or broken writer produces: bit flips,
 * interesting bytes and floats, cut, repeated or dropped chunks, and in text, numbers replaced by
 * edge values, keys repeated, brackets dropped. The same seed gives the same mutations.
 */
final class Mutator {
  private static final String[] NUMBERS = {"0", "-1", "1", "-0.0", "1e309", "-1e309", "NaN", "2147483647",
    "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808", "1e-320", "0.5", "65536", "4294967296",
    "100000000000000000000000000000", "1.5", "3"};
  private static final float[] FLOATS = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -1f, 0f,
    Float.MAX_VALUE, Float.MIN_VALUE, -0f, 1e30f};
  private static final byte[] BYTES = {0, -1, 0x7f, (byte) 0x80, 1, '"', '{', '[', ',', ':', '\\'};
  private static final String[] STRINGS = {"", "resnet2000000", "mobilenetv2", "NaN", "[]", "[NaN]", "[-1.0]",
    "[1e39]", "universal", "joslim", "\\u0000", "-1", "9223372036854775807", "[0.25, 0.5, 1e9]"};
  private static final Pattern STRING_VALUE = Pattern.compile(":\\s*\"[^\"]*\"");
  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");
  private static final Pattern KEY_VALUE = Pattern.compile("\"[A-Za-z_.]+\"\\s*:\\s*(\"[^\"]*\"|-?[0-9.eE+-]+|true|false)");

  private final SplittableRandom rng;

  Mutator(long seed) {
    rng = new SplittableRandom(seed);
  }

  /** A random choice in [0, n). */
  int choice(int n) {
    return rng.nextInt(n);
  }

  /** {@code in} after 1 to 4 mutations; {@code text} enables the JSON-aware ones. */
  byte[] mutate(byte[] in, boolean text) {
    byte[] b = in;
    int n = 1 + rng.nextInt(4);
    for (int i = 0; i < n; i++) {
      b = text && rng.nextInt(3) > 0 ? mutateText(b) : mutateBytes(b);
    }
    return b;
  }

  /** {@code in} with one float32 in {@code [from, to)} (e.g. a file's tensor data) set to an edge value. */
  byte[] mutateFloats(byte[] in, int from, int to) {
    byte[] b = in.clone();
    if (to - from < 4) {
      return b;
    }
    int at = from + 4 * rng.nextInt((to - from) / 4);
    int bits = Float.floatToRawIntBits(FLOATS[rng.nextInt(FLOATS.length)]);
    for (int k = 0; k < 4; k++) {
      b[at + k] = (byte) (bits >>> (8 * k));
    }
    return b;
  }

  private byte[] mutateBytes(byte[] b) {
    if (b.length == 0) {
      return new byte[] {BYTES[rng.nextInt(BYTES.length)]};
    }
    byte[] out = b.clone();
    int at = rng.nextInt(b.length);
    switch (rng.nextInt(6)) {
      case 0 -> out[at] ^= (byte) (1 << rng.nextInt(8));
      case 1 -> out[at] = BYTES[rng.nextInt(BYTES.length)];
      case 2 -> out = Arrays.copyOf(b, at); // truncated
      case 3 -> { // a chunk repeated
        int len = 1 + rng.nextInt(Math.min(64, b.length - at));
        out = new byte[b.length + len];
        System.arraycopy(b, 0, out, 0, at + len);
        System.arraycopy(b, at, out, at + len, b.length - at);
      }
      case 4 -> { // a chunk dropped
        int len = 1 + rng.nextInt(Math.min(64, b.length - at));
        out = new byte[b.length - len];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + len, out, at, b.length - at - len);
      }
      default -> { // a little-endian length or count made extreme
        long v = rng.nextBoolean() ? -1L : 1L << (8 + rng.nextInt(56));
        for (int k = 0; k < 8 && at + k < out.length; k++) {
          out[at + k] = (byte) (v >>> (8 * k));
        }
      }
    }
    return out;
  }

  private byte[] mutateText(byte[] b) {
    String s = new String(b, StandardCharsets.UTF_8);
    String out = switch (rng.nextInt(5)) {
      case 4 -> replaceNth(s, STRING_VALUE, m -> ": \"" + STRINGS[rng.nextInt(STRINGS.length)] + "\"");
      case 0 -> replaceNth(s, NUMBER, m -> NUMBERS[rng.nextInt(NUMBERS.length)]);
      case 1 -> replaceNth(s, KEY_VALUE, m -> m.group() + ", " + m.group()); // a duplicate key
      case 2 -> replaceNth(s, KEY_VALUE, m -> ""); // a missing key (may leave a stray comma: also a case)
      default -> replaceNth(s, Pattern.compile("\\[[^\\[\\]]*\\]"), m -> rng.nextBoolean() ? "[]"
          : m.group().substring(1, m.group().length() - 1)); // an empty array, or its brackets gone
    };
    return out.getBytes(StandardCharsets.UTF_8);
  }

  private String replaceNth(String s, Pattern p, java.util.function.Function<Matcher, String> with) {
    Matcher m = p.matcher(s);
    int count = 0;
    while (m.find()) {
      count++;
    }
    if (count == 0) {
      return s;
    }
    int pick = rng.nextInt(count);
    m.reset();
    for (int i = 0; i <= pick; i++) {
      m.find();
    }
    return s.substring(0, m.start()) + with.apply(m) + s.substring(m.end());
  }
}
