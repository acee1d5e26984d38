package org.slimj.bench.latency;

import java.util.SplittableRandom;
import org.slimj.bench.RandomTensors;
import org.slimj.engine.autograd.Arena;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.tensor.Tensor;

/**
 * A whole network run end to end in evaluation mode at any configuration, for timing: batch norm
 * with running statistics (one shared BN, so no calibration is needed; it costs what a calibrated
 * universal BN costs), no tape, op outputs from an arena reset before each call.
 */
public final class NetworkRunner {
  private final SlimModel model;
  private final Context ctx;
  private final Arena arena = new Arena();
  private final Tensor x;

  /** The network of {@code spec} (its BN flavour is replaced by shared BN) on a random batch of {@code batch} images. */
  public NetworkRunner(Kernels kernels, ModelSpec spec, int batch, long seed) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch: expected >= 1, found " + batch);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    model = new ModelSpec(spec.architecture(), spec.maxWidth(), spec.inChannels(), spec.inputSize(), spec.classes(),
        BnKind.SHARED, new double[] {spec.maxWidth()}).build(rng);
    ctx = Context.inference(kernels, arena);
    x = RandomTensors.gaussian(rng, batch, spec.inChannels(), spec.inputSize(), spec.inputSize());
  }

  /** The channel space. */
  public ChannelSpace space() {
    return model.space();
  }

  /**
   * Runs random configurations (and the extremes) for {@code seconds} of elapsed time, so the JIT has
   * compiled the kernels' paths for the shapes of the whole space before anything is timed.
   */
  public void warmUp(double seconds, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    ChannelSpace s = model.space();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    float sink = 0;
    int i = 0;
    do {
      ChannelConfig c = i % 3 == 0 ? s.max() : i % 3 == 1 ? ChannelRange.lowest(s) : ChannelRange.random(s, rng);
      Tensor y = run(c);
      sink += y.data()[y.offset()];
      i++;
    } while (System.nanoTime() < end);
    if (Float.isNaN(sink)) {
      throw new IllegalStateException("warm-up produced NaN logits");
    }
  }

  /** One batch at {@code cfg}: the logits (valid until the next call). */
  public Tensor run(ChannelConfig cfg) {
    arena.reset();
    return model.forward(ctx, x, cfg);
  }
}
