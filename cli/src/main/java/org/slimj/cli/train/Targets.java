package org.slimj.cli.train;

import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.train.TrainingMode;

/** The configuration to evaluate for a uniform width, by training mode. */
final class Targets {
  private Targets() {}

  /**
   * The configuration of uniform width {@code w}: for switchable BN the width-list entry it
   * equals (anything else is an error: S-BN has no BN for other widths); otherwise the uniform
   * configuration.
   */
  static ChannelConfig forWidth(SlimModel model, TrainingMode mode, double w) {
    if (mode == TrainingMode.SBN) {
      double[] list = model.widthList();
      for (int i = 0; i < list.length; i++) {
        if (Math.abs(list[i] - w) < 1e-9) {
          return model.switchConfig(i);
        }
      }
      throw new IllegalArgumentException("width " + w + " is not in the switchable model's width list "
          + java.util.Arrays.toString(list) + " (S-BN has batch norms only for those)");
    }
    return model.uniform(w);
  }
}
