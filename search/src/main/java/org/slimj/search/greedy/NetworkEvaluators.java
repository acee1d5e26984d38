package org.slimj.search.greedy;

import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.SlimBatchNorm;
import org.slimj.engine.nn.slim.SwitchableBatchNorm2d;
import org.slimj.engine.space.LayerSpec;

/** Checks shared by the network evaluators of greedy slimming. */
final class NetworkEvaluators {
  private NetworkEvaluators() {}

  /** Refuses models whose batch norms exist only for a fixed width list (they cannot run arbitrary per-slot configurations). */
  static void requirePerConfigurationBn(SlimModel model) {
    for (SlimBatchNorm bn : model.batchNorms()) {
      if (bn instanceof SwitchableBatchNorm2d) {
        throw new IllegalArgumentException("greedy slimming needs a model with universal or shared batch norm;"
            + " found switchable BN (" + bn.name() + "), which has statistics only for its width list"
            + " (train a supernet with --mode nonuniform)");
      }
    }
  }

  /**
   * A rough upper bound of the bytes one forward pass of {@code images} images at the maximum
   * configuration keeps alive at once: the largest layer's input, output, normalised output and
   * unfolded input (as an im2col would), in floats.
   */
  static long forwardBytes(SlimModel model, long images) {
    long worst = 0;
    int[] max = model.maxChannels();
    for (LayerSpec l : model.space().layers()) {
      long cin = l.inSlot() >= 0 ? max[l.inSlot()] : l.inFixed();
      long cout = l.outSlot() >= 0 ? max[l.outSlot()] : l.outFixed();
      long in = (long) l.inputSize() * l.inputSize();
      long out = (long) l.outputSize() * l.outputSize();
      long floats = cin * in + 2 * cout * out + cin * l.kernel() * l.kernel() * out;
      worst = Math.max(worst, floats);
    }
    return Math.multiplyHigh(worst, images) != 0 ? Long.MAX_VALUE : worst * images * Float.BYTES;
  }
}
