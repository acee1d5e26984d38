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
 * @param activation the activation that follows the batch norm (in a residual block whose add comes
 *     before the activation, as ResNet's, it follows the add)
 * @param residualFrom index (in the space's layer list) of the layer whose <em>input</em> is added to
 *     this layer's output, so that input stays alive from that layer until this one; -1 when none
 * @param pooledSize for a layer fed by global average pooling: the height = width of the feature map
 *     that the pooling reduces (the pooling is charged to this layer); 0 when none
 */
public record LayerSpec(
    String name, LayerKind kind, int kernel, int stride, int inputSize, int inSlot, int inFixed,
    int outSlot, int outFixed, boolean batchNorm, boolean bias, Activation activation, int residualFrom,
    int pooledSize) {

  public LayerSpec {
    java.util.Objects.requireNonNull(activation, "activation");
    if (residualFrom < -1 || pooledSize < 0) {
      throw new IllegalArgumentException(
          "layer " + name + ": expected residualFrom >= -1 and pooledSize >= 0, found " + residualFrom + " and "
              + pooledSize);
    }
  }

  /** A layer without activation, residual add or pooling (the form before those were recorded). */
  public LayerSpec(
      String name, LayerKind kind, int kernel, int stride, int inputSize, int inSlot, int inFixed,
      int outSlot, int outFixed, boolean batchNorm, boolean bias) {
    this(name, kind, kernel, stride, inputSize, inSlot, inFixed, outSlot, outFixed, batchNorm, bias,
        Activation.NONE, -1, 0);
  }

  /** This layer with the input of layer {@code from} added to its output (a residual add). */
  public LayerSpec withResidualFrom(int from) {
    return new LayerSpec(name, kind, kernel, stride, inputSize, inSlot, inFixed, outSlot, outFixed, batchNorm, bias,
        activation, from, pooledSize);
  }

  /** Whether a residual add ends at this layer. */
  public boolean residual() {
    return residualFrom >= 0;
  }

  /** Floats of the input per image at {@code cin} channels (after the pooling, if any). */
  public long inputFloats(int cin) {
    return (long) cin * inputSize * inputSize;
  }

  /** Floats of the output feature map per image at {@code cout} channels. */
  public long outputFloats(int cout) {
    long s = outputSize();
    return (long) cout * s * s;
  }

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
