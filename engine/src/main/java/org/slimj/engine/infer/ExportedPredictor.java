package org.slimj.engine.infer;

import java.util.Arrays;
import java.util.List;
import org.slimj.engine.autograd.Arena;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.tensor.Tensor;

/** Predictions of an {@link ExportedNetwork}; see {@link Predictor}. */
public final class ExportedPredictor implements Predictor {
  private final ExportedNetwork network;
  private final Kernels kernels;
  private final ArenaPool arenas = new ArenaPool();
  private final ChannelConfig config;
  private final Ownership ownership = new Ownership();

  /** Runs {@code network} with {@code kernels}. */
  public ExportedPredictor(ExportedNetwork network, Kernels kernels) {
    this.network = java.util.Objects.requireNonNull(network, "network");
    this.kernels = java.util.Objects.requireNonNull(kernels, "kernels");
    this.config = configOf(network);
  }

  private static ChannelConfig configOf(ExportedNetwork network) {
    if (!(network.spec().source().get("config") instanceof List<?> list) || list.isEmpty()) {
      return null;
    }
    int[] c = new int[list.size()];
    for (int i = 0; i < c.length; i++) {
      if (!(list.get(i) instanceof Number n) || n.longValue() < 1 || n.longValue() > Integer.MAX_VALUE) {
        return null;
      }
      c[i] = n.intValue();
    }
    return ChannelConfig.of(c);
  }

  /** The network. */
  public ExportedNetwork network() {
    return network;
  }

  @Override
  public int[] inputShape() {
    return network.inputShape();
  }

  @Override
  public int classes() {
    return network.classes();
  }

  @Override
  public float[][] normalization() {
    return network.normalization();
  }

  /** The configuration recorded at export ({@code source.config}), or null if none was. */
  @Override
  public ChannelConfig defaultConfig() {
    return config;
  }

  /**
   * As {@link Predictor#predict}; {@code cfg} must be null or have the channel counts the network
   * was exported at.
   */
  @Override
  public Prediction predict(Tensor images, ChannelConfig cfg) {
    if (cfg != null && (config == null || !Arrays.equals(cfg.toArray(), config.toArray()))) {
      throw new IllegalArgumentException("an exported network runs only at the configuration it was exported at ("
          + config + "), found " + cfg);
    }
    ownership.checkOpen();
    Predictor.checkImages(images, inputShape(), "exported network");
    Arena arena = arenas.take();
    try {
      Tensor logits = network.forward(kernels, arena, images);
      return new Prediction(images.dim(0), classes(), logits.toArray());
    } finally {
      arenas.give(arena);
    }
  }

  /** Floats allocated by idle scratch arenas so far (constant once calls repeat). */
  long scratchFloats() {
    return arenas.allocatedFloats();
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
