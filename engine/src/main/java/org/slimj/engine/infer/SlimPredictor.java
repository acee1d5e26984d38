package org.slimj.engine.infer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slimj.engine.autograd.Arena;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.io.Checkpoint;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.nn.slim.SlimBatchNorm;
import org.slimj.engine.nn.slim.SwitchableBatchNorm2d;
import org.slimj.engine.nn.slim.UniversalBatchNorm2d;
import org.slimj.engine.tensor.Tensor;
import org.slimj.engine.train.Batch;
import org.slimj.engine.train.Calibrator;

/**
 * Predictions of a slimmable model at any configuration given per call (see {@link Predictor}).
 * Batch norm uses what eval mode uses: switchable BN the configuration's switch (a configuration
 * equal to a width-list entry is matched to it), shared BN its running statistics, universal BN
 * the statistics calibrated for the configuration. A universal-BN configuration not seen before is
 * calibrated once on first use, on the batches {@link Calibration} supplies, under a lock;
 * afterwards its statistics are only read. Without a calibration such a configuration is refused
 * (an {@link IllegalStateException}), never silently run on the statistics tracked during
 * training: ask for those explicitly with {@link Calibration#TRAINING_STATISTICS}.
 */
public final class SlimPredictor implements Predictor {
  /** Supplies calibration batches for a configuration (images normalised like the inputs). */
  @FunctionalInterface
  public interface Calibration {
    /**
     * Universal BN uses the running statistics tracked during training instead of calibrating
     * (cheaper, usually less accurate for widths other than those trained most).
     */
    Calibration TRAINING_STATISTICS = cfg -> java.util.List.of();

    /** The batches to calibrate {@code cfg} on. */
    Iterable<Batch> batches(ChannelConfig cfg);
  }

  private final SlimModel model;
  private final int[] inputShape;
  private final Kernels kernels;
  private final float[][] normalization;
  private final Calibration calibration;
  private final boolean universal;
  private final boolean switchable;
  private final Set<String> ready = ConcurrentHashMap.newKeySet();
  private final Object calibrationLock = new Object();
  private final ArenaPool arenas = new ArenaPool();
  private final Ownership ownership = new Ownership();

  /**
   * Predicts with {@code model} (not modified except for calibrated statistics it gains).
   *
   * @param inChannels image channels
   * @param inputSize image height = width
   * @param normalization {@code {mean, std}} the inputs carry, or null if unknown
   * @param calibration calibration batches for universal BN, {@link Calibration#TRAINING_STATISTICS},
   *     or null (a universal-BN configuration without calibrated statistics is then refused)
   */
  public SlimPredictor(SlimModel model, int inChannels, int inputSize, Kernels kernels, float[][] normalization,
      Calibration calibration) {
    this.model = Objects.requireNonNull(model, "model");
    this.kernels = Objects.requireNonNull(kernels, "kernels");
    if (inChannels < 1 || inputSize < 1) {
      throw new IllegalArgumentException("expected image channels and size >= 1, found " + inChannels + ", "
          + inputSize);
    }
    this.inputShape = new int[] {inChannels, inputSize, inputSize};
    this.normalization = normalization == null ? null : new float[][] {normalization[0].clone(),
        normalization[1].clone()};
    this.calibration = calibration;
    SlimBatchNorm first = model.batchNorms().isEmpty() ? null : model.batchNorms().get(0);
    this.universal = first instanceof UniversalBatchNorm2d;
    this.switchable = first instanceof SwitchableBatchNorm2d;
  }

  /**
   * A predictor for the model of checkpoint {@code file}, with the input normalization its
   * metadata records ({@code data.mean}, {@code data.std}; none if absent).
   *
   * @param calibration calibration batches for universal BN, {@link Calibration#TRAINING_STATISTICS},
   *     or null (a universal-BN configuration without calibrated statistics is then refused)
   */
  public static SlimPredictor load(Path file, Kernels kernels, Calibration calibration) throws IOException {
    Checkpoint.Loaded l = Checkpoint.load(file);
    return new SlimPredictor(l.model(), l.spec().inChannels(), l.spec().inputSize(), kernels,
        normalizationOf(l.metadata(), file.toString()), calibration);
  }

  /**
   * The input normalization {@code {mean, std}} recorded in checkpoint metadata ({@code data.mean}
   * and {@code data.std} as {@code [a, b, ...]}), or null if it has none.
   *
   * @throws IllegalArgumentException naming {@code source} and the key if a value is malformed
   */
  public static float[][] normalizationOf(Map<String, String> meta, String source) {
    String mean = meta.get("data.mean");
    String std = meta.get("data.std");
    if (mean == null || std == null) {
      return null;
    }
    float[] m = floats(mean, "data.mean", source);
    float[] d = floats(std, "data.std", source);
    if (m.length != d.length) {
      throw new IllegalArgumentException(source + ": metadata data.mean has " + m.length + " channels, data.std "
          + d.length);
    }
    return new float[][] {m, d};
  }

  private static float[] floats(String s, String key, String source) {
    String t = s.trim();
    if (!t.startsWith("[") || !t.endsWith("]")) {
      throw new IllegalArgumentException(source + ": metadata " + key + ": expected [a, b, ...], found " + s);
    }
    String[] parts = t.substring(1, t.length() - 1).split(",");
    float[] out = new float[parts.length];
    try {
      for (int i = 0; i < parts.length; i++) {
        out[i] = Float.parseFloat(parts[i].trim());
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(source + ": metadata " + key + ": expected numbers, found " + s, e);
    }
    boolean positive = key.equals("data.std");
    for (float v : out) {
      if (!Float.isFinite(v) || (positive && !(v > 0))) {
        throw new IllegalArgumentException(source + ": metadata " + key + ": expected finite numbers"
            + (positive ? " > 0" : "") + ", found " + s);
      }
    }
    return out;
  }

  /** The model. */
  public SlimModel model() {
    return model;
  }

  @Override
  public int[] inputShape() {
    return inputShape.clone();
  }

  @Override
  public int classes() {
    return model.classes();
  }

  @Override
  public float[][] normalization() {
    return normalization == null ? null : new float[][] {normalization[0].clone(), normalization[1].clone()};
  }

  /** The largest width of the width list. */
  @Override
  public ChannelConfig defaultConfig() {
    double[] w = model.widthList();
    return configAt(Arrays.stream(w).max().orElse(1.0));
  }

  /**
   * The configuration of uniform width {@code width} in (0, largest width of the list]: for
   * switchable BN the width-list entry it equals (an error for other widths), else the uniform
   * configuration.
   */
  public ChannelConfig configAt(double width) {
    return model.configAt(width);
  }

  /**
   * {@code cfg} as the model runs it: a switchable model's configuration without a switch index is
   * matched to the width-list entry with the same channel counts.
   */
  public ChannelConfig resolve(ChannelConfig cfg) {
    Objects.requireNonNull(cfg, "configuration");
    model.space().validate(cfg);
    if (!switchable || cfg.switchIndex() >= 0) {
      return cfg;
    }
    for (int i = 0; i < model.widthList().length; i++) {
      ChannelConfig s = model.switchConfig(i);
      if (Arrays.equals(s.toArray(), cfg.toArray())) {
        return s;
      }
    }
    throw new IllegalArgumentException("configuration " + cfg + " is not one of the switchable model's widths "
        + Arrays.toString(model.widthList()));
  }

  /**
   * Makes batch norm ready to evaluate {@code cfg} (calibrating universal BN once) and returns the
   * resolved configuration.
   *
   * @throws IllegalStateException if universal BN needs calibration and there is none
   */
  public ChannelConfig prepare(ChannelConfig cfg) {
    ChannelConfig c = resolve(cfg);
    if (!universal || ready.contains(c.key())) {
      return c;
    }
    synchronized (calibrationLock) {
      if (!ready.contains(c.key())) {
        boolean have = model.batchNorms().stream().allMatch(b -> b.hasStatistics(c));
        if (!have) {
          if (calibration == null) {
            throw new IllegalStateException("universal BN: configuration " + c + " has no calibrated statistics and"
                + " this predictor has no calibration; give one (or Calibration.TRAINING_STATISTICS to use the"
                + " statistics tracked during training)");
          } else if (calibration == Calibration.TRAINING_STATISTICS) {
            Tensor probe = Tensor.zeros(1, inputShape[0], inputShape[1], inputShape[2]);
            Calibrator.useTrainingStatistics(model, kernels, c, new Batch(probe, new int[1]));
          } else {
            Calibrator.calibrate(model, kernels, c, calibration.batches(c));
          }
        }
        ready.add(c.key());
      }
    }
    return c;
  }

  @Override
  public Prediction predict(Tensor images, ChannelConfig cfg) {
    ownership.checkOpen();
    Predictor.checkImages(images, inputShape, "slimmable network");
    ChannelConfig c = prepare(cfg);
    Arena arena = arenas.take();
    try {
      Tensor logits = model.forward(Context.inference(kernels, arena), images, c);
      return new Prediction(images.dim(0), classes(), logits.toArray());
    } finally {
      arenas.give(arena);
    }
  }

  /** {@link #predict(Tensor, ChannelConfig)} at {@link #configAt(double) uniform width} {@code width}. */
  public Prediction predict(Tensor images, double width) {
    return predict(images, configAt(width));
  }

  /** Takes ownership of {@code resource} (the backend's workers), closed by {@link #close()}. */
  void own(AutoCloseable resource) {
    ownership.own(resource);
  }

  /** Stops the worker threads this predictor owns (none when it was given its kernels); later calls fail. */
  @Override
  public void close() {
    ownership.close();
  }
}
