package org.slimj.engine.nn.slim;

/** Which batch-norm flavour a slimmable model is built with. */
public enum BnKind {
  /** One private BN per entry of a fixed width list (S-Nets). */
  SWITCHABLE,
  /** Shared gamma/beta sliced by prefix, statistics from calibration per configuration (US-Nets). */
  UNIVERSAL,
  /** One ordinary BN shared by all widths (a single network, or the naive baseline). */
  SHARED;

  /** Builds the BN of a layer with {@code cMax} channels; {@code switchChannels} are its channels per width-list entry. */
  public SlimBatchNorm create(String name, int cMax, int[] switchChannels) {
    return switch (this) {
      case SWITCHABLE -> new SwitchableBatchNorm2d(name, switchChannels);
      case UNIVERSAL -> new UniversalBatchNorm2d(name, cMax);
      case SHARED -> new SharedBatchNorm2d(name, cMax);
    };
  }
}
