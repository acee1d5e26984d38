package org.slimj.engine.graph;

import org.slimj.engine.space.Activation;
import java.util.ArrayList;
import java.util.List;
import org.slimj.engine.nn.slim.SlimBatchNorm;
import org.slimj.engine.tensor.Tensor;

/**
 * Records a model's layers at one configuration in execution order, mirroring its forward pass
 * (a model's {@code trace} calls these methods where {@code forward} calls the ops). Each method
 * returns the index of the layer just added, which later layers name as their input; -1 is the
 * network's input. Channel counts flow from layer to layer, so a layer's input channels are those
 * its input produced.
 */
public final class Trace {
  private final int inChannels;
  private final List<TracedLayer> layers = new ArrayList<>();
  private final List<Integer> channels = new ArrayList<>();

  /** A trace of a network whose images have {@code inChannels} channels. */
  public Trace(int inChannels) {
    this.inChannels = inChannels;
  }

  /** Channels of output {@code index} (-1: the network input). */
  public int channels(int index) {
    if (index < -1 || index >= layers.size()) {
      throw new IllegalArgumentException("trace: no output " + index + " (have " + layers.size() + " layers)");
    }
    return index == -1 ? inChannels : channels.get(index);
  }

  private int append(TracedLayer l) {
    layers.add(l);
    channels.add(l.cout());
    return layers.size() - 1;
  }

  /** A dense convolution (padding {@code pad}) to {@code cout} channels followed by {@code bn} and {@code act}. */
  public int conv(String name, int input, Tensor weight, int kernel, int stride, int pad, int cout, SlimBatchNorm bn,
      Activation act) {
    return append(new TracedLayer(name, OpKind.CONV, input, -2, kernel, stride, pad, channels(input), cout, act, weight,
        null, bn));
  }

  /** A depthwise convolution on all channels of {@code input}, followed by {@code bn} and {@code act}. */
  public int depthwise(String name, int input, Tensor weight, int kernel, int stride, int pad, SlimBatchNorm bn,
      Activation act) {
    int c = channels(input);
    return append(new TracedLayer(name, OpKind.DEPTHWISE, input, -2, kernel, stride, pad, c, c, act, weight, null, bn));
  }

  /** {@code act(out[input] + out[residual])}; both must have the same shape. */
  public int add(String name, int input, int residual, Activation act) {
    int c = channels(input);
    if (channels(residual) != c) {
      throw new IllegalArgumentException(
          name + ": add of " + c + " and " + channels(residual) + " channels");
    }
    return append(new TracedLayer(name, OpKind.ADD, input, residual, 0, 0, 0, c, c, act, null, null, null));
  }

  /** The zero-padding shortcut of {@code input} to {@code cout} channels with {@code stride}. */
  public int shortcut(String name, int input, int stride, int cout) {
    return append(new TracedLayer(name, OpKind.SHORTCUT, input, -2, 0, stride, 0, channels(input), cout,
        Activation.NONE, null, null, null));
  }

  /** Global average pooling of {@code input}. */
  public int pool(String name, int input) {
    int c = channels(input);
    return append(new TracedLayer(name, OpKind.POOL, input, -2, 0, 0, 0, c, c, Activation.NONE, null, null, null));
  }

  /** A fully connected layer to {@code out} features (weight prefix {@code [:out, :in]}, bias {@code [:out]} or null). */
  public int linear(String name, int input, Tensor weight, Tensor bias, int out, Activation act) {
    return append(new TracedLayer(name, OpKind.LINEAR, input, -2, 0, 0, 0, channels(input), out, act, weight, bias,
        null));
  }

  /** The layers recorded so far (a copy). */
  public List<TracedLayer> layers() {
    return List.copyOf(layers);
  }
}
