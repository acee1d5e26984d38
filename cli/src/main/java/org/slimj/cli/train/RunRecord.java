package org.slimj.cli.train;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slimj.datasets.FashionMnist;
import org.slimj.datasets.ImageDataset;
import org.slimj.datasets.Normalization;
import org.slimj.datasets.Split;
import org.slimj.datasets.TrainTest;
import org.slimj.engine.io.Checkpoint;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.train.TrainingMode;

/**
 * What a checkpoint records about the run that made it and its data, read from its metadata once
 * and validated by value: the mode, the data option, the validation hold-out (count and seed) and
 * the input normalization (one finite mean and one finite std > 0 per image channel). Every command
 * that opens a checkpoint and needs its data (eval, predict, export, searches) rebuilds the hold-out
 * through {@link #data}, so they all see the split the training run saw.
 *
 * <p>Checkpoints written by {@code ./slimj train} have every entry; checkpoints written by other
 * code may lack the run entries (then there is no mode, no hold-out and no normalization), but an
 * entry that is present must be valid.
 *
 * @param file the checkpoint (names it in errors)
 * @param mode the training mode, or null if the metadata records none
 * @param dataOption the {@code --data} the run was given ("" for the default)
 * @param heldOut validation images held out of the training set (0: none recorded)
 * @param dataSeed the seed of the hold-out (and of calibration batches)
 * @param mean per-channel input mean, or null if none is recorded
 * @param std per-channel input standard deviation, or null if none is recorded
 * @param groups channel groups per slot of a nonuniform run (0 if none is recorded)
 * @param widthRange the run's width range {@code [min, max]}, or null if none is recorded
 * @param single the configuration a {@code single} run trained, or null
 * @param joslimLower Joslim's lowest width fraction (NaN if not a Joslim run)
 * @param joslimCost Joslim's cost model spec ("" if not a Joslim run)
 */
public record RunRecord(Path file, TrainingMode mode, String dataOption, int heldOut, long dataSeed, float[] mean,
    float[] std, int groups, double[] widthRange, ChannelConfig single, double joslimLower, String joslimCost) {

  /**
   * The data of a run: the data set, the training part after the hold-out, the held-out validation
   * part (null if the run held none out) and the normalization.
   *
   * @param data the whole data set (train and test)
   * @param train the training images the run learned from
   * @param validation the held-out validation images, or null
   * @param normalization the run's input normalization
   * @param description which data this is, for people
   */
  public record RunData(TrainTest data, ImageDataset train, ImageDataset validation, Normalization normalization,
      String description) {}

  /** Metadata key of the run record's format version. */
  public static final String VERSION_KEY = "run.version";

  /**
   * The run record format this slimj writes and the newest it reads: 1 (the entries below, as
   * written since 2026-12); checkpoints without {@link #VERSION_KEY} are read as version 1 too.
   */
  public static final int VERSION = 1;

  /** Reads and validates the run entries of checkpoint {@code l} loaded from {@code file}. */
  public static RunRecord of(Checkpoint.Loaded l, Path file) {
    Map<String, String> m = l.metadata();
    String src = file.toString();
    if (m.containsKey(VERSION_KEY)) {
      long v = RunSettings.integer(m, VERSION_KEY, src, 1, Integer.MAX_VALUE);
      if (v > VERSION) {
        throw new IllegalArgumentException(src + ": checkpoint metadata " + VERSION_KEY + ": expected a run record of"
            + " version " + VERSION + " or older, found version " + v + " (written by a newer slimj)");
      }
    }
    TrainingMode mode = null;
    if (m.containsKey("train.mode")) {
      try {
        mode = TrainingMode.parse(m.get("train.mode"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(src + ": checkpoint metadata train." + e.getMessage(), e);
      }
    }
    int val = m.containsKey("data.val") ? (int) RunSettings.integer(m, "data.val", src, 1, Integer.MAX_VALUE - 1) : 0;
    long seed = m.containsKey("data.seed") ? RunSettings.integer(m, "data.seed", src, Long.MIN_VALUE, Long.MAX_VALUE)
        : 0;
    if ((val > 0) != m.containsKey("data.seed")) {
      throw new IllegalArgumentException(src + ": checkpoint metadata: expected data.val and data.seed together, found "
          + (val > 0 ? "data.val only" : "data.seed only"));
    }
    float[] mean = null;
    float[] std = null;
    if (m.containsKey("data.mean") || m.containsKey("data.std")) {
      mean = channels(m, "data.mean", src, l.spec(), false);
      std = channels(m, "data.std", src, l.spec(), true);
    }
    int groups = m.containsKey("train.groups") ? (int) RunSettings.integer(m, "train.groups", src, 1, 1 << 16) : 0;
    double[] range = m.containsKey("train.width_range") ? widthRange(m.get("train.width_range"), src) : null;
    ChannelConfig single = m.getOrDefault("train.single", "").isEmpty() ? null : counts(m.get("train.single"), src);
    double lower = Double.NaN;
    if (m.containsKey("train.joslim_lower")) {
      lower = number(m.get("train.joslim_lower"), "train.joslim_lower", src);
      if (!(lower > 0 && lower <= 1)) {
        throw new IllegalArgumentException(src + ": checkpoint metadata train.joslim_lower: expected a fraction in (0, 1],"
            + " found " + m.get("train.joslim_lower"));
      }
    }
    return new RunRecord(file, mode, m.getOrDefault("data.option", ""), val, seed, mean, std, groups, range, single,
        lower, m.getOrDefault("train.joslim_cost", ""));
  }

  private static double number(String text, String key, String src) {
    try {
      double v = Double.parseDouble(text.trim());
      if (Double.isFinite(v)) {
        return v;
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(src + ": checkpoint metadata " + key + ": expected a finite number, found '"
          + text + "'", e);
    }
    throw new IllegalArgumentException(src + ": checkpoint metadata " + key + ": expected a finite number, found " + text);
  }

  private static double[] widthRange(String text, String src) {
    double[] r;
    try {
      r = RunSettings.parseDoubles(text, "train.width_range");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(src + ": checkpoint metadata " + e.getMessage(), e);
    }
    if (r.length != 2 || !(r[0] > 0 && r[0] <= r[1] && r[1] < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(src + ": checkpoint metadata train.width_range: expected [min, max] with"
          + " 0 < min <= max, found " + text);
    }
    return r;
  }

  private static ChannelConfig counts(String text, String src) {
    String t = text.trim();
    String where = src + ": checkpoint metadata train.single: expected [c1, c2, ...] of whole channel counts >= 1";
    if (!t.startsWith("[") || !t.endsWith("]") || t.length() > 1 << 16) {
      throw new IllegalArgumentException(where + ", found " + text);
    }
    String[] parts = t.substring(1, t.length() - 1).split(",");
    int[] c = new int[parts.length];
    for (int i = 0; i < c.length; i++) {
      try {
        c[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(where + ", found " + text, e);
      }
      if (c[i] < 1) {
        throw new IllegalArgumentException(where + ", found " + text);
      }
    }
    return ChannelConfig.of(c);
  }

  /**
   * The smallest channel group a nonuniform run with {@code g} groups drew (from its width range,
   * as {@code OwsStrategy.minGroup}); 1 when the run was not nonuniform, recorded no range, or had
   * another number of groups.
   */
  public int trainedMinGroup(int g) {
    boolean nonuniform = mode != null && switch (mode) {
      case NONUNIFORM, OWS, AOWS, MULTIPLATFORM -> true;
      default -> false;
    };
    if (!nonuniform || widthRange == null || groups != g) {
      return 1;
    }
    return org.slimj.engine.train.OwsStrategy.minGroup(widthRange[0] / widthRange[1], g);
  }

  /** Loads checkpoint {@code file} only to read its run record. */
  public static RunRecord load(Path file) throws java.io.IOException {
    return of(Checkpoint.load(file), file);
  }

  private static float[] channels(Map<String, String> m, String key, String src, ModelSpec spec, boolean positive) {
    String text = RunSettings.get(m, key, src);
    float[] v;
    try {
      v = RunSettings.parseFloats(text, key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(src + ": checkpoint metadata " + e.getMessage(), e);
    }
    if (v.length != spec.inChannels()) {
      throw new IllegalArgumentException(src + ": checkpoint metadata " + key + ": expected " + spec.inChannels()
          + " value(s), one per image channel of " + spec + ", found " + text);
    }
    for (float x : v) {
      if (!Float.isFinite(x) || (positive && !(x > 0))) {
        throw new IllegalArgumentException(src + ": checkpoint metadata " + key + ": expected finite numbers"
            + (positive ? " > 0" : "") + ", found " + text);
      }
    }
    return v;
  }

  /** The training mode; an error naming the file when the checkpoint records none. */
  public TrainingMode requireMode() {
    if (mode == null) {
      throw new IllegalArgumentException(file + ": checkpoint metadata has no 'train.mode'");
    }
    return mode;
  }

  /** The input normalization {@code {mean, std}} (copies), or null if the checkpoint records none. */
  public float[][] normalization() {
    return mean == null ? null : new float[][] {mean.clone(), std.clone()};
  }

  /**
   * The run's data: {@code option} ({@code DIR}, {@code sample}, or null for the data the run was
   * given) loaded, the hold-out rebuilt with the recorded count and seed.
   *
   * @throws IllegalArgumentException if the checkpoint records no normalization, or the data has
   *     too few training images for the recorded hold-out (not the data the run was trained on)
   */
  public RunData data(String option) {
    if (mean == null) {
      throw new IllegalArgumentException(file + ": checkpoint metadata has no data.mean and data.std (the input"
          + " normalization the data needs)");
    }
    String opt = option != null ? option : dataOption;
    TrainTest tt = FashionMnist.resolve(Optional.ofNullable(opt.isEmpty() ? null : opt)).load();
    Normalization norm = Normalization.of(mean, std);
    if (heldOut == 0) {
      return new RunData(tt, tt.train(), null, norm, tt.description());
    }
    if (heldOut >= tt.train().count()) {
      throw new IllegalArgumentException(file + ": the checkpoint held out " + heldOut + " validation images, but the"
          + " data has " + tt.train().count() + " training images (is --data the data it was trained on?)");
    }
    Split.HoldOut h = Split.holdOut(tt.train(), heldOut, dataSeed);
    return new RunData(tt, h.train(), h.validation(), norm, tt.description() + "; " + heldOut
        + " validation images held out of training with seed " + dataSeed);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunRecord r && file.equals(r.file) && mode == r.mode && dataOption.equals(r.dataOption)
        && heldOut == r.heldOut && dataSeed == r.dataSeed && java.util.Arrays.equals(mean, r.mean)
        && java.util.Arrays.equals(std, r.std) && groups == r.groups && java.util.Arrays.equals(widthRange, r.widthRange)
        && java.util.Objects.equals(single, r.single) && Double.compare(joslimLower, r.joslimLower) == 0
        && joslimCost.equals(r.joslimCost);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(file, mode, dataOption, heldOut, dataSeed, java.util.Arrays.hashCode(mean),
        java.util.Arrays.hashCode(std));
  }

  @Override
  public String toString() {
    return "RunRecord[" + file + ", mode " + mode + ", data '" + dataOption + "', held out " + heldOut + " (seed "
        + dataSeed + ")]";
  }
}
