package org.slimj.engine.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OWS's per-slot, per-group loss credits (AOWS, Berman et al., CVPR 2020, §3.3): the credit of a
 * random configuration is {@code -(loss_rand - loss_max) / L} with L the number of slots, added to
 * the entry of the group each slot was given. Each entry is a moving average over a window of
 * {@code window} images: the plain mean of everything recorded until the window fills, then an
 * exponential average with rate {@code weight / window} (a stand-in for AOWS's sliding window of
 * 10^5 samples that needs no history). Training state, saved in checkpoints through {@link
 * #toMetadata()}, in decimal strings that read back to the same doubles.
 */
public final class OwsCredits {
  /** Metadata key of the averages. */
  public static final String VALUES_KEY = "ows.credits";
  /** Metadata key of the weights (images) recorded per entry. */
  public static final String COUNTS_KEY = "ows.credit_counts";

  private final int slots;
  private final int groups;
  private final double window;
  private final double[] values;
  private final double[] counts;

  /** Empty credits for {@code slots} slots of {@code groups} groups, averaged over {@code window} images. */
  public OwsCredits(int slots, int groups, double window) {
    if (slots < 1 || groups < 1 || !(window >= 1) || Double.isInfinite(window)) {
      throw new IllegalArgumentException("credits: expected slots >= 1, groups >= 1, finite window >= 1; found " + slots
          + ", " + groups + ", " + window);
    }
    this.slots = slots;
    this.groups = groups;
    this.window = window;
    this.values = new double[slots * groups];
    this.counts = new double[slots * groups];
  }

  /** Number of slots. */
  public int slots() {
    return slots;
  }

  /** Groups per slot. */
  public int groups() {
    return groups;
  }

  /**
   * Records {@code credit} with {@code weight} (images) for configuration {@code groupOf} (group
   * 1..groups of each slot).
   */
  public void record(int[] groupOf, double credit, double weight) {
    if (groupOf.length != slots || !Double.isFinite(credit) || !(weight > 0)) {
      throw new IllegalArgumentException("credits: expected " + slots + " groups, a finite credit and a positive weight;"
          + " found " + groupOf.length + ", " + credit + ", " + weight);
    }
    for (int s = 0; s < slots; s++) {
      int g = groupOf[s];
      if (g < 1 || g > groups) {
        throw new IllegalArgumentException("credits: slot " + s + " group must be in [1, " + groups + "], found " + g);
      }
      int i = s * groups + g - 1;
      counts[i] += weight;
      values[i] += weight / Math.min(counts[i], window) * (credit - values[i]);
    }
  }

  /** The averages: {@code [slot][group - 1]}; 0 where nothing was recorded. */
  public double[][] values() {
    double[][] out = new double[slots][];
    for (int s = 0; s < slots; s++) {
      out[s] = Arrays.copyOfRange(values, s * groups, (s + 1) * groups);
    }
    return out;
  }

  /** Weight recorded per entry: {@code [slot][group - 1]}. */
  public double[][] counts() {
    double[][] out = new double[slots][];
    for (int s = 0; s < slots; s++) {
      out[s] = Arrays.copyOfRange(counts, s * groups, (s + 1) * groups);
    }
    return out;
  }

  /** The state as checkpoint metadata. */
  public Map<String, String> toMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(VALUES_KEY, Arrays.toString(values));
    m.put(COUNTS_KEY, Arrays.toString(counts));
    return m;
  }

  /** Replaces the state with the one in {@code metadata} (written by {@link #toMetadata()}). */
  public void restore(Map<String, String> metadata) {
    double[] v = parse(metadata, VALUES_KEY);
    double[] c = parse(metadata, COUNTS_KEY);
    System.arraycopy(v, 0, values, 0, v.length);
    System.arraycopy(c, 0, counts, 0, c.length);
  }

  /** Reads the averages from checkpoint metadata as {@code [slot][group - 1]}. */
  public static double[][] read(Map<String, String> metadata, int slots, int groups) {
    OwsCredits c = new OwsCredits(slots, groups, 1);
    c.restore(metadata);
    return c.values();
  }

  private double[] parse(Map<String, String> m, String key) {
    String s = m.get(key);
    if (s == null) {
      throw new IllegalArgumentException("checkpoint metadata has no '" + key + "' (OWS credits; was it trained with"
          + " --mode ows, aows or multiplatform?)");
    }
    String t = s.trim();
    if (!t.startsWith("[") || !t.endsWith("]")) {
      throw new IllegalArgumentException(key + ": expected [a, b, ...], found " + abbreviate(t));
    }
    String[] parts = t.substring(1, t.length() - 1).split(",");
    if (parts.length != slots * groups) {
      throw new IllegalArgumentException(key + ": expected " + slots + " slots x " + groups + " groups = "
          + slots * groups + " numbers, found " + parts.length);
    }
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + ": entry " + i + " is not a number: '" + parts[i].trim() + "'", e);
      }
      if (!Double.isFinite(out[i])) {
        throw new IllegalArgumentException(key + ": entry " + i + " is not finite: " + out[i]);
      }
    }
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
