package org.slimj.bench;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.slimj.engine.autograd.Arena;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.tensor.Tensor;
import org.slimj.engine.train.Batch;
import org.slimj.engine.train.Calibrator;

/**
 * Inference of one slimmable network at several uniform widths, ready to be timed: evaluation mode,
 * no tape. The model has universal batch norm; the constructor calibrates each width's statistics
 * once on {@link #CALIBRATION_IMAGES} random N(0, 1) images (US-Nets' post-training calibration), so
 * the timed calls do no calibration.
 */
public final class WidthInference {
  /** Images of the random calibration batch. */
  public static final int CALIBRATION_IMAGES = 32;

  private final Context ctx;
  private final Arena arena;
  private final SlimModel model;
  private final ChannelConfig[] configs;
  private final Tensor x;

  /**
   * @param kernels the backend
   * @param architecture model name (see {@link ModelSpec#KNOWN})
   * @param input image height = width
   * @param inChannels image channels
   * @param classes classes
   * @param batch images per call
   * @param widths uniform widths, each in (0, 1]
   * @param seed seed of the weights and inputs
   */
  public WidthInference(Kernels kernels, String architecture, int input, int inChannels, int classes, int batch,
      double[] widths, long seed) {
    if (batch < 1 || widths.length == 0) {
      throw new IllegalArgumentException(
          "inference: expected batch >= 1 and at least one width, found " + batch + ", " + Arrays.toString(widths));
    }
    for (double w : widths) {
      if (!(w > 0) || w > 1) {
        throw new IllegalArgumentException("widths must be in (0, 1], found " + w + " in " + Arrays.toString(widths));
      }
    }
    SplittableRandom rng = new SplittableRandom(seed);
    model = new ModelSpec(architecture, 1.0, inChannels, input, classes, BnKind.UNIVERSAL, widths).build(rng);
    arena = new Arena();
    ctx = Context.inference(kernels, arena);
    Batch calibration = new Batch(
        RandomTensors.gaussian(rng, CALIBRATION_IMAGES, inChannels, input, input),
        RandomTensors.labels(rng, CALIBRATION_IMAGES, classes));
    configs = new ChannelConfig[widths.length];
    for (int i = 0; i < widths.length; i++) {
      configs[i] = model.uniform(widths[i]);
      Calibrator.calibrate(model, kernels, configs[i], List.of(calibration));
    }
    x = RandomTensors.gaussian(rng, batch, inChannels, input, input);
  }

  /** Logits of the batch at width number {@code i} (in the order given). */
  public Tensor run(int i) {
    arena.reset();
    return model.forward(ctx, x, configs[i]);
  }

  /** Number of widths. */
  public int widths() {
    return configs.length;
  }
}
