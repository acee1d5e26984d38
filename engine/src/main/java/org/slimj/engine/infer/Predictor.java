package org.slimj.engine.infer;

import java.io.IOException;
import java.nio.file.Path;
import org.slimj.engine.kernels.Backends;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.tensor.Tensor;

/**
 * Predictions for batches of images from a trained network: a slimmable checkpoint run at any
 * configuration given per call ({@link SlimPredictor}) or an exported network at the
 * configuration it was exported at ({@link ExportedPredictor}). Implementations are safe to call
 * from many threads at once: every call runs in its own scratch arena and shares no mutable state
 * with other calls.
 *
 * <p>A predictor made by {@link #exported(Path, String, int)} or {@link #checkpoint(Path, String,
 * int, SlimPredictor.Calibration)} owns its worker threads and stops them on {@link #close()};
 * one given its {@link Kernels} leaves them to the caller. Calls after {@code close()} fail.
 */
public interface Predictor extends AutoCloseable {
  /** One image's shape, {@code {C, H, W}}. */
  int[] inputShape();

  /** Number of classes. */
  int classes();

  /** The normalization {@code {mean, std}} per channel the inputs must already have, or null if unknown. */
  float[][] normalization();

  /** The configuration {@link #predict(Tensor)} uses. */
  ChannelConfig defaultConfig();

  /**
   * Logits, probabilities and top-k classes of images {@code [N, C, H, W]} (normalised) at {@code
   * cfg}.
   *
   * @throws IllegalArgumentException if the images do not have the input shape or the
   *     configuration does not fit the network
   */
  Prediction predict(Tensor images, ChannelConfig cfg);

  /** {@link #predict(Tensor, ChannelConfig)} at {@link #defaultConfig()}. */
  default Prediction predict(Tensor images) {
    return predict(images, defaultConfig());
  }

  /** Stops the worker threads the predictor owns, if any; later calls fail. */
  @Override
  default void close() {}

  /** A predictor for the exported network in {@code dir}, run with {@code kernels}. */
  static ExportedPredictor exported(Path dir, Kernels kernels) throws IOException {
    return new ExportedPredictor(ExportedNetwork.load(dir), kernels);
  }

  /**
   * A predictor for the model of checkpoint {@code file} at any configuration (see {@link
   * SlimPredictor#load}).
   */
  static SlimPredictor checkpoint(Path file, Kernels kernels, SlimPredictor.Calibration calibration)
      throws IOException {
    return SlimPredictor.load(file, kernels, calibration);
  }

  /**
   * A predictor for the exported network in {@code dir} on its own backend {@code backend} ({@code
   * auto}, {@code scalar}, {@code vector}, {@code native}) with {@code threads} worker threads, which
   * {@link #close()} stops.
   */
  static ExportedPredictor exported(Path dir, String backend, int threads) throws IOException {
    Backends.Owned b = Backends.open(backend, threads);
    try {
      ExportedPredictor p = new ExportedPredictor(ExportedNetwork.load(dir), b.kernels());
      p.own(b);
      return p;
    } catch (IOException | RuntimeException e) {
      b.close();
      throw e;
    }
  }

  /**
   * A predictor for the model of checkpoint {@code file} (see {@link SlimPredictor#load}) on its own
   * backend {@code backend} with {@code threads} worker threads, which {@link #close()} stops.
   */
  static SlimPredictor checkpoint(Path file, String backend, int threads, SlimPredictor.Calibration calibration)
      throws IOException {
    Backends.Owned b = Backends.open(backend, threads);
    try {
      SlimPredictor p = SlimPredictor.load(file, b.kernels(), calibration);
      p.own(b);
      return p;
    } catch (IOException | RuntimeException e) {
      b.close();
      throw e;
    }
  }

  /** Checks that {@code images} is {@code [N, C, H, W]} with N >= 1 and the given image shape. */
  static void checkImages(Tensor images, int[] shape, String what) {
    if (images.rank() != 4 || images.dim(0) < 1 || images.dim(1) != shape[0] || images.dim(2) != shape[1]
        || images.dim(3) != shape[2]) {
      throw new IllegalArgumentException(what + " images: expected [N, " + shape[0] + ", " + shape[1] + ", "
          + shape[2] + "] with N >= 1, found " + java.util.Arrays.toString(images.shape()));
    }
  }
}
