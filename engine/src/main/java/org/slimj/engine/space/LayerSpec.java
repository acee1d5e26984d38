package org.slimj.engine.space;

import org.slimj.engine.nn.slim.ChannelConfig;

/**
 * One layer of a model's channel space: what it is, where its channel counts come from, and its
 * geometry, so cost models and searches can work without knowing the architecture.
 *
 * @param name dotted layer path (the weight tensor is {@code name + ".weight"})
 * @param kind layer kind
 * @param kernel kernel size (1 for linear layers)
 * @param stride stride (1 for linear layers)
 * @param inputSize input height = width (1 for linear layers)
 * @param inSlot slot of the input channels, or -1 when fixed
 * @param inFixed input channels when {@code inSlot == -1}
 * @param outSlot slot of the output channels, or -1 when fixed (ignored for depthwise layers)
 * @param outFixed output channels when {@code outSlot == -1}
 * @param batchNorm whether a batch norm follows (counted in parameters, not in MACs)
 * @param bias whether the layer has a bias
 */
public record LayerSpec(
    String name, LayerKind kind, int kernel, int stride, int inputSize, int inSlot, int inFixed,
    int outSlot, int outFixed, boolean batchNorm, boolean bias) {

  /** Input channels at {@code cfg}. */
  public int cin(ChannelConfig cfg) {
    return inSlot >= 0 ? cfg.get(inSlot) : inFixed;
  }

  /** Output channels at {@code cfg}. */
  public int cout(ChannelConfig cfg) {
    if (kind == LayerKind.DEPTHWISE) {
      return cin(cfg);
    }
    return outSlot >= 0 ? cfg.get(outSlot) : outFixed;
  }

  /** Output height = width. */
  public int outputSize() {
    if (kind == LayerKind.LINEAR) {
      return 1;
    }
    return (inputSize + 2 * (kernel / 2) - kernel) / stride + 1;
  }

  /** Multiply-adds per image (papers' convention: conv and linear only). */
  public long macs(ChannelConfig cfg) {
    return macsAt(cin(cfg), cout(cfg));
  }

  /** Multiply-adds per image at {@code cin} input and {@code cout} output channels (depthwise: cout is ignored). */
  public long macsAt(int cin, int cout) {
    long out = (long) outputSize() * outputSize();
    return switch (kind) {
      case CONV -> (long) cin * cout * kernel * kernel * out;
      case DEPTHWISE -> (long) cin * kernel * kernel * out;
      case LINEAR -> (long) cin * cout;
    };
  }

  /** Parameters at {@code cfg}: the active weight slice, bias, and BN gamma and beta. */
  public long params(ChannelConfig cfg) {
    return paramsAt(cin(cfg), cout(cfg));
  }

  /** Parameters at {@code cin} input and {@code cout} output channels (depthwise: cout must equal cin). */
  public long paramsAt(int cin, int cout) {
    int co = kind == LayerKind.DEPTHWISE ? cin : cout;
    long w = switch (kind) {
      case CONV -> (long) cin * co * kernel * kernel;
      case DEPTHWISE -> (long) cin * kernel * kernel;
      case LINEAR -> (long) cin * co;
    };
    return w + (bias ? co : 0) + (batchNorm ? 2L * co : 0);
  }
}
