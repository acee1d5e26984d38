package org.slimj.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.slimj.engine.autograd.Arena;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.nn.slim.SlimConv2d;
import org.slimj.engine.nn.slim.SlimDepthwiseConv2d;
import org.slimj.engine.tensor.Tensor;

/**
 * One pass of a reference layer (LAYERS.md) through slimj's slimmable layers, ready to be timed:
 * the weight is allocated at full width and a reduced {@code frac} runs on its leading prefix.
 * Forward runs without a tape (inference mode, outputs in a scratch arena reset before each run,
 * so the returned output is valid until the next run); forward + backward records on a reused tape and
 * back-propagates a constant output gradient (weight and, when the layer needs it, input gradients
 * accumulate from call to call, as they would over the widths of a training step).
 */
public final class LayerPass {
  private final ReferenceLayer layer;
  private final double frac;
  private final int batch;
  private final boolean withBackward;
  private final Tensor weight;
  private final Function<Context, Tensor> layerForward;
  private final Context ctx;
  private final Tape tape;
  private final Arena arena;
  private final float[] seed;

  /**
   * @param kernels the backend
   * @param layer the reference layer
   * @param frac width fraction (1.0 or 0.5 in LAYERS.md)
   * @param batch batch size (64 in LAYERS.md)
   * @param withBackward forward + backward instead of forward only
   * @param seedValue seed of the weights and the input
   */
  public LayerPass(Kernels kernels, ReferenceLayer layer, double frac, int batch, boolean withBackward, long seedValue) {
    if (batch < 1 || !(frac > 0) || frac > 1) {
      throw new IllegalArgumentException("layer pass: expected batch >= 1 and frac in (0, 1], found " + batch + ", " + frac);
    }
    this.layer = layer;
    this.frac = frac;
    this.batch = batch;
    this.withBackward = withBackward;
    SplittableRandom rng = new SplittableRandom(seedValue);
    int cout = layer.coutAt(frac);
    Tensor x = RandomTensors.gaussian(rng, batch, layer.cinAt(frac), layer.size(), layer.size());
    x.setRequiresGrad(withBackward && layer.inputNeedsGrad());
    if (layer.depthwise()) {
      SlimDepthwiseConv2d dw = new SlimDepthwiseConv2d("dw", layer.cin(), layer.kernel(), layer.stride(), rng);
      weight = dw.weight();
      layerForward = c -> dw.forward(c, x);
    } else {
      SlimConv2d conv = new SlimConv2d("conv", layer.cin(), layer.cout(), layer.kernel(), layer.stride(), rng);
      weight = conv.weight();
      layerForward = c -> conv.forward(c, x, cout);
    }
    if (withBackward) {
      tape = new Tape();
      arena = null;
      ctx = Context.train(kernels, tape, null);
      seed = new float[batch * cout * layer.outSize() * layer.outSize()];
      Arrays.fill(seed, 1e-3f);
    } else {
      tape = null;
      arena = new Arena();
      ctx = Context.inference(kernels, arena);
      seed = null;
    }
  }

  /** Runs the pass once: returns the output (forward) or the weight, whose gradient holds the result. */
  public Tensor run() {
    if (!withBackward) {
      arena.reset();
      return layerForward.apply(ctx);
    }
    Tensor y = layerForward.apply(ctx);
    tape.backward(y, seed);
    return weight;
  }

  /** Floating-point operations of one pass (LAYERS.md counting). */
  public double flops() {
    return layer.flops(batch, frac, withBackward);
  }

  /** The layer. */
  public ReferenceLayer layer() {
    return layer;
  }
}
