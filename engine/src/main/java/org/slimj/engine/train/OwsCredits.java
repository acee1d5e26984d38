package org.slimj.engine.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OWS's per-slot, per-group loss credits (AOWS, Berman et al., CVPR 2020, §3.3): the credit of a
 * random configuration is {@code y = -(loss_rand - loss_max) / L} with L the number of slots, and
 * entry {@code U[s][g]} estimates {@code E[y | c_s = g]}, the expected credit of the configurations
 * that give slot {@code s} group {@code g}. Each entry is a moving average over a window of {@code
 * window} images: the plain mean of everything recorded until the window fills, then an exponential
 * average with rate {@code weight / window} (a stand-in for AOWS's sliding window of 10^5 samples
 * that needs no history).
 *
 * <p><b>Control variates.</b> When the configuration was drawn with independent slots of known
 * probabilities {@code π} ({@link #record(int[], double, double, double[][])}), the value averaged
 * into slot {@code s} is {@code y - Σ_{j≠s} (U[j][c_j] - Σ_h π_j(h) U[j][h])}: the other slots'
 * current credits, centred under their sampling distribution, are subtracted. Because they were
 * fixed before the draw and the slots are drawn independently, the subtracted term has mean zero
 * given {@code c_s}, so the estimate stays unbiased for the same quantity; it removes most of the
 * spread that the other {@code L - 1} random slots add to each sample (docs/DESIGN-NOTES.md, "OWS
 * credits"). A slot contributes only once each of its groups with {@code π > 0} has {@link
 * #CONTROL_MIN_WEIGHT} images recorded, so early, noisy credits add no variance.
 *
 * <p><b>Drift.</b> The mean credit moves during training (all configurations improve at different
 * rates), and each entry averages samples from its own random times, so the drift adds noise. With
 * {@link #record(int[], double, double, double[][])} every credit is taken relative to the recent
 * mean credit ({@link #LEVEL_WINDOW} images), fixed before the draw: the same for every group of a
 * slot in expectation, so it shifts a slot's credits by a constant and leaves their differences,
 * all that the search and the Gibbs distribution use, unbiased.
 *
 * <p>{@link #values()} gives a group that was never recorded the credit of the nearest recorded
 * narrower group of its slot (else the slot's lowest recorded credit), never the 0 that would rank
 * it above every recorded (usually negative) credit. Training state, saved in checkpoints through
 * {@link #toMetadata()}, in decimal strings that read back to the same doubles.
 */
public final class OwsCredits {
  /** Metadata key of the averages. */
  public static final String VALUES_KEY = "ows.credits";
  /** Metadata key of the weights (images) recorded per entry. */
  public static final String COUNTS_KEY = "ows.credit_counts";
  /** Metadata key of the recent mean credit and the weight behind it. */
  public static final String LEVEL_KEY = "ows.credit_level";
  /** Images an entry needs before its slot serves as a control variate for the others. */
  public static final double CONTROL_MIN_WEIGHT = 1000;
  /** Images over which the recent mean credit (the level subtracted from every credit) is averaged. */
  public static final double LEVEL_WINDOW = 2000;

  private final int slots;
  private final int groups;
  private final double window;
  private final double[] values;
  private final double[] counts;
  /** Recent mean credit and the weight recorded into it: {@code [level, weight]}. */
  private final double[] level = new double[2];

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
   * 1..groups of each slot), without control variates (the plain AOWS average).
   */
  public void record(int[] groupOf, double credit, double weight) {
    record(groupOf, credit, weight, null, false);
  }

  /**
   * Records {@code credit} with {@code weight} (images) for configuration {@code groupOf}, drawn with
   * each slot independent of the others, slot {@code s} at group {@code g} with probability {@code
   * probabilities[s][g - 1]}; {@code null} when the slots were not drawn independently (then no
   * control variate is used).
   */
  public void record(int[] groupOf, double credit, double weight, double[][] probabilities) {
    record(groupOf, credit, weight, probabilities, true);
  }

  private void record(int[] groupOf, double credit, double weight, double[][] probabilities, boolean relative) {
    if (groupOf.length != slots || !Double.isFinite(credit) || !(weight > 0)) {
      throw new IllegalArgumentException("credits: expected " + slots + " groups, a finite credit and a positive weight;"
          + " found " + groupOf.length + ", " + credit + ", " + weight);
    }
    for (int s = 0; s < slots; s++) {
      int g = groupOf[s];
      if (g < 1 || g > groups) {
        throw new IllegalArgumentException("credits: slot " + s + " group must be in [1, " + groups + "], found " + g);
      }
    }
    double[] control = controls(groupOf, probabilities);
    double total = 0;
    for (double c : control) {
      total += c;
    }
    double base = relative ? level[0] : 0;
    for (int s = 0; s < slots; s++) {
      int i = s * groups + groupOf[s] - 1;
      counts[i] += weight;
      values[i] += weight / Math.min(counts[i], window) * (credit - base - (total - control[s]) - values[i]);
    }
    level[1] += weight;
    level[0] += weight / Math.min(level[1], LEVEL_WINDOW) * (credit - level[0]);
  }

  /**
   * Each slot's centred credit {@code U[s][c_s] - Σ_h π_s(h) U[s][h]} at the values before this
   * record, or 0 where the slot is not yet ready (or no probabilities are known).
   */
  private double[] controls(int[] groupOf, double[][] probabilities) {
    double[] control = new double[slots];
    if (probabilities == null) {
      return control;
    }
    if (probabilities.length != slots) {
      throw new IllegalArgumentException("credits: expected sampling probabilities for " + slots + " slots, found "
          + probabilities.length);
    }
    for (int s = 0; s < slots; s++) {
      double[] p = probabilities[s];
      if (p.length != groups) {
        throw new IllegalArgumentException("credits: slot " + s + ": expected " + groups + " probabilities, found "
            + p.length);
      }
      double mean = 0;
      boolean ready = true;
      for (int g = 0; g < groups && ready; g++) {
        if (!(p[g] >= 0) || p[g] > 1) {
          throw new IllegalArgumentException("credits: slot " + s + " group " + (g + 1) + ": probability must be in"
              + " [0, 1], found " + p[g]);
        }
        ready = p[g] == 0 || counts[s * groups + g] >= CONTROL_MIN_WEIGHT;
        mean += p[g] * values[s * groups + g];
      }
      if (ready) {
        control[s] = values[s * groups + groupOf[s] - 1] - mean;
      }
    }
    return control;
  }

  /**
   * The averages: {@code [slot][group - 1]}. A group with nothing recorded takes the credit of the
   * nearest recorded narrower group of its slot, else the slot's lowest recorded credit, else 0.
   */
  public double[][] values() {
    double[][] out = new double[slots][];
    for (int s = 0; s < slots; s++) {
      out[s] = Arrays.copyOfRange(values, s * groups, (s + 1) * groups);
      double lowest = Double.POSITIVE_INFINITY;
      for (int g = 0; g < groups; g++) {
        if (counts[s * groups + g] > 0) {
          lowest = Math.min(lowest, out[s][g]);
        }
      }
      double fill = lowest == Double.POSITIVE_INFINITY ? 0 : lowest;
      for (int g = 0; g < groups; g++) {
        if (counts[s * groups + g] > 0) {
          fill = out[s][g];
        } else {
          out[s][g] = fill;
        }
      }
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
    m.put(LEVEL_KEY, Arrays.toString(level));
    return m;
  }

  /** Replaces the state with the one in {@code metadata} (written by {@link #toMetadata()}). */
  public void restore(Map<String, String> metadata) {
    double[] v = parse(metadata, VALUES_KEY, slots * groups);
    double[] c = parse(metadata, COUNTS_KEY, slots * groups);
    double[] l = metadata.containsKey(LEVEL_KEY) ? parse(metadata, LEVEL_KEY, 2) : new double[2];
    if (!(l[1] >= 0)) {
      throw new IllegalArgumentException(LEVEL_KEY + ": the recorded weight must be >= 0, found " + l[1]);
    }
    for (int i = 0; i < c.length; i++) {
      if (!(c[i] >= 0)) {
        throw new IllegalArgumentException(COUNTS_KEY + ": entry " + i + " must be >= 0, found " + c[i]);
      }
    }
    System.arraycopy(v, 0, values, 0, v.length);
    System.arraycopy(c, 0, counts, 0, c.length);
    System.arraycopy(l, 0, level, 0, 2);
  }

  /** Reads the averages from checkpoint metadata as {@code [slot][group - 1]}. */
  public static double[][] read(Map<String, String> metadata, int slots, int groups) {
    OwsCredits c = new OwsCredits(slots, groups, 1);
    c.restore(metadata);
    return c.values();
  }

  private static double[] parse(Map<String, String> m, String key, int length) {
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
    if (parts.length != length) {
      throw new IllegalArgumentException(key + ": expected " + length + " numbers, found " + parts.length);
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
