package org.slimj.engine.models;

import java.util.List;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.nn.slim.SlimBatchNorm;
import org.slimj.engine.tensor.Tensor;

/**
 * A slimmable network: one set of weights allocated at maximum width, run at any channel
 * configuration passed to {@link #forward}. Fixed width lists, universal widths, per-layer
 * nonuniform widths and a single fixed network are all this same model run with different
 * configurations.
 */
public interface SlimModel {
  /** Logits [N, classes] for images x [N, C, H, W] at configuration {@code cfg}. */
  Tensor forward(Context ctx, Tensor x, ChannelConfig cfg);

  /** All trainable parameters, in a fixed order, with dotted names. */
  List<Parameter> parameters();

  /** All batch-norm layers (for calibration). */
  List<SlimBatchNorm> batchNorms();

  /** Maximum channels of each configuration slot. */
  int[] maxChannels();

  /** The configuration at uniform width {@code width} in (0, 1] of the maximum. */
  ChannelConfig uniform(double width);

  /** The configuration of entry {@code i} of the width list the model was built with (tagged for switchable BN). */
  ChannelConfig switchConfig(int i);

  /** The width list the model was built with. */
  double[] widthList();

  /** Number of classes. */
  int classes();
}
