package org.slimj.bench.latency;

import java.util.SplittableRandom;
import org.slimj.bench.RandomTensors;
import org.slimj.engine.autograd.Arena;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.nn.slim.SharedBatchNorm2d;
import org.slimj.engine.nn.slim.SlimConv2d;
import org.slimj.engine.nn.slim.SlimDepthwiseConv2d;
import org.slimj.engine.nn.slim.SlimLinear;
import org.slimj.engine.ops.Add;
import org.slimj.engine.ops.GlobalAvgPool;
import org.slimj.engine.ops.Relu;
import org.slimj.engine.ops.Relu6;
import org.slimj.engine.space.LayerKind;
import org.slimj.engine.tensor.Tensor;
import org.slimj.search.latency.LayerSignature;

/**
 * One layer of a given {@link LayerSignature} run alone in evaluation mode, as the models run it:
 * weights allocated at the maximum channel counts and sliced to (cin, cout); then batch norm with
 * running statistics, the residual add (an identity shortcut of the output's shape), the
 * activation; a linear layer first global-average-pools its input when the signature says so. Op
 * outputs come from a per-unit arena reset before each call, as in inference.
 */
public final class LayerUnit {
  private final LayerSignature sig;
  private final int cout;
  private final Context ctx;
  private final Arena arena = new Arena();
  private final Tensor x;
  private final Tensor shortcut;
  private final SlimConv2d conv;
  private final SlimDepthwiseConv2d depthwise;
  private final SlimLinear linear;
  private final SharedBatchNorm2d bn;
  private final ChannelConfig cfg = ChannelConfig.of(1);

  /**
   * @param kernels the backend
   * @param sig the layer signature
   * @param cinMax input channels allocated
   * @param coutMax output channels allocated (ignored for depthwise layers)
   * @param cin input channels run
   * @param cout output channels run (depthwise: equal to cin)
   * @param batch images per call
   * @param seed seed of weights and input
   */
  public LayerUnit(Kernels kernels, LayerSignature sig, int cinMax, int coutMax, int cin, int cout, int batch,
      long seed) {
    if (cin < 1 || cin > cinMax || batch < 1 || (sig.kind() != LayerKind.DEPTHWISE && (cout < 1 || cout > coutMax))) {
      throw new IllegalArgumentException("layer unit " + sig + ": expected 1 <= cin <= " + cinMax + ", 1 <= cout <= "
          + coutMax + ", batch >= 1; found " + cin + ", " + cout + ", " + batch);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    this.sig = sig;
    this.ctx = Context.inference(kernels, arena);
    int co = sig.kind() == LayerKind.DEPTHWISE ? cin : cout;
    this.cout = co;
    int out = sig.outputSize();
    switch (sig.kind()) {
      case CONV -> {
        conv = new SlimConv2d("unit.conv", cinMax, coutMax, sig.kernel(), sig.stride(), rng);
        depthwise = null;
        linear = null;
        x = RandomTensors.gaussian(rng, batch, cin, sig.inputSize(), sig.inputSize());
      }
      case DEPTHWISE -> {
        conv = null;
        depthwise = new SlimDepthwiseConv2d("unit.dw", cinMax, sig.kernel(), sig.stride(), rng);
        linear = null;
        x = RandomTensors.gaussian(rng, batch, cin, sig.inputSize(), sig.inputSize());
      }
      default -> {
        conv = null;
        depthwise = null;
        linear = new SlimLinear("unit.fc", cinMax, coutMax, sig.bias(), rng);
        x = sig.pooledSize() > 0
            ? RandomTensors.gaussian(rng, batch, cin, sig.pooledSize(), sig.pooledSize())
            : RandomTensors.gaussian(rng, batch, cin);
      }
    }
    int bnMax = sig.kind() == LayerKind.DEPTHWISE ? cinMax : coutMax;
    bn = sig.batchNorm() ? new SharedBatchNorm2d("unit.bn", bnMax) : null;
    shortcut = sig.residual()
        ? (sig.kind() == LayerKind.LINEAR ? RandomTensors.gaussian(rng, batch, co)
            : RandomTensors.gaussian(rng, batch, co, out, out))
        : null;
  }

  /** One call: the layer's output (valid until the next call). */
  public Tensor run() {
    arena.reset();
    Tensor h = switch (sig.kind()) {
      case CONV -> conv.forward(ctx, x, cout);
      case DEPTHWISE -> depthwise.forward(ctx, x);
      case LINEAR -> linear.forward(ctx, sig.pooledSize() > 0 ? GlobalAvgPool.forward(ctx, x) : x, cout);
    };
    if (bn != null) {
      h = bn.forward(ctx, h, cfg);
    }
    if (shortcut != null) {
      h = Add.forward(ctx, h, shortcut);
    }
    return switch (sig.activation()) {
      case NONE -> h;
      case RELU -> Relu.forward(ctx, h);
      case RELU6 -> Relu6.forward(ctx, h);
    };
  }
}
