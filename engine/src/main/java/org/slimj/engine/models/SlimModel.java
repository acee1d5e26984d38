package org.slimj.engine.models;

import java.util.List;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.graph.TracedLayer;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.nn.slim.SlimBatchNorm;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.tensor.Tensor;

/**
 * A slimmable network: one set of weights allocated at maximum width, run at any channel
 * configuration passed to {@link #forward}. Fixed width lists, universal widths, per-layer
 * nonuniform widths and a single fixed network are all this same model run with different
 * configurations. Its {@link #space()} describes the configurable slots and the layers.
 */
public interface SlimModel {
  /** Logits [N, classes] for images x [N, C, H, W] at configuration {@code cfg}. */
  Tensor forward(Context ctx, Tensor x, ChannelConfig cfg);

  /**
   * The layers that {@link #forward} runs at {@code cfg}, in execution order, with their active
   * channel counts, activations, residual links and the tensors they read (for export and for
   * tools that rebuild the network). Validates {@code cfg} as forward does. Every model family of
   * slimj implements it; the default is for test doubles and models that cannot be exported.
   *
   * @throws UnsupportedOperationException if the model does not describe its layers
   */
  default List<TracedLayer> trace(ChannelConfig cfg) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not describe its layers (trace)");
  }

  /** All trainable parameters, in a fixed order, with dotted names. */
  List<Parameter> parameters();

  /** All batch-norm layers (for calibration). */
  List<SlimBatchNorm> batchNorms();

  /** The channel space: slots and layers. */
  ChannelSpace space();

  /** The width list the model was built with (switchable BN has one BN per entry). */
  double[] widthList();

  /** Number of classes. */
  int classes();

  /** Maximum channels of each configuration slot. */
  default int[] maxChannels() {
    return space().max().toArray();
  }

  /** The configuration at uniform width {@code width} of the base architecture. */
  default ChannelConfig uniform(double width) {
    return space().uniform(width);
  }

  /** The configuration of entry {@code i} of the width list, tagged for switchable BN. */
  default ChannelConfig switchConfig(int i) {
    double[] w = widthList();
    if (i < 0 || i >= w.length) {
      throw new IllegalArgumentException("width-list index must be in [0, " + w.length + "), found " + i);
    }
    return uniform(w[i]).withSwitchIndex(i);
  }

  /**
   * The one width-to-configuration step: the configuration of uniform width {@code width} in (0,
   * largest width of the list]. With switchable batch norm it must equal a width-list entry (there
   * are statistics only for those) and the configuration carries its switch; otherwise it is the
   * uniform configuration.
   *
   * @throws IllegalArgumentException naming the width and what was expected
   */
  default ChannelConfig configAt(double width) {
    double[] list = widthList();
    double largest = java.util.Arrays.stream(list).max().orElse(1.0);
    if (!(width > 0) || width > largest + 1e-9) {
      throw new IllegalArgumentException("width: expected a value in (0, " + largest
          + "] (the model's largest width), found " + width);
    }
    if (batchNorms().isEmpty() || !(batchNorms().get(0) instanceof org.slimj.engine.nn.slim.SwitchableBatchNorm2d)) {
      return uniform(width);
    }
    for (int i = 0; i < list.length; i++) {
      if (Math.abs(list[i] - width) < 1e-9) {
        return switchConfig(i);
      }
    }
    throw new IllegalArgumentException("width " + width + " is not in the switchable model's width list "
        + java.util.Arrays.toString(list) + " (switchable BN has statistics only for those)");
  }
}
