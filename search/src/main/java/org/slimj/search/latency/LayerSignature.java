package org.slimj.search.latency;

import java.util.Locale;
import org.slimj.engine.space.Activation;
import org.slimj.engine.space.LayerKind;
import org.slimj.engine.space.LayerSpec;

/**
 * What, besides its channel counts, decides how long a layer takes: kind, kernel, stride, input
 * size, batch norm, bias, activation, whether a residual add ends at it, and the size of the map a
 * global pooling before it reduces. Layers with equal signatures share one latency-table entry (AOWS,
 * Berman et al. CVPR 2020 §3.1, keys its table the same way).
 *
 * @param kind layer kind
 * @param kernel kernel size
 * @param stride stride
 * @param inputSize input height = width
 * @param batchNorm whether a batch norm follows
 * @param bias whether the layer has a bias
 * @param activation activation after the batch norm (or after the residual add)
 * @param residual whether a residual add ends at this layer
 * @param pooledSize height = width of the map that global pooling reduces before it (0: none)
 */
public record LayerSignature(
    LayerKind kind, int kernel, int stride, int inputSize, boolean batchNorm, boolean bias, Activation activation,
    boolean residual, int pooledSize) {

  public LayerSignature {
    if (kind == null || activation == null) {
      throw new IllegalArgumentException("layer signature: kind and activation are required");
    }
    if (kernel < 1 || stride < 1 || inputSize < 1 || pooledSize < 0) {
      throw new IllegalArgumentException(
          "layer signature: expected kernel, stride, input size >= 1 and pooled size >= 0, found " + kernel + ", "
              + stride + ", " + inputSize + ", " + pooledSize);
    }
  }

  /** The signature of {@code layer}. */
  public static LayerSignature of(LayerSpec layer) {
    return new LayerSignature(layer.kind(), layer.kernel(), layer.stride(), layer.inputSize(), layer.batchNorm(),
        layer.bias(), layer.activation(), layer.residual(), layer.pooledSize());
  }

  /** Output height = width. */
  public int outputSize() {
    if (kind == LayerKind.LINEAR) {
      return 1;
    }
    return (inputSize + 2 * (kernel / 2) - kernel) / stride + 1;
  }

  /** A readable one-line form, e.g. {@code conv k3 s1 in32 bn relu6 +res}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(kind.name().toLowerCase(Locale.ROOT));
    b.append(" k").append(kernel).append(" s").append(stride).append(" in").append(inputSize);
    if (batchNorm) {
      b.append(" bn");
    }
    if (bias) {
      b.append(" bias");
    }
    if (activation != Activation.NONE) {
      b.append(' ').append(activation.name().toLowerCase(Locale.ROOT));
    }
    if (residual) {
      b.append(" +res");
    }
    if (pooledSize > 0) {
      b.append(" pool").append(pooledSize);
    }
    return b.toString();
  }
}
