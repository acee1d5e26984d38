package org.slimj.engine.space;

/** The elementwise activation applied after a layer's batch norm (or after its residual add). */
public enum Activation {
  /** No activation. */
  NONE,
  /** max(0, x). */
  RELU,
  /** min(max(0, x), 6) (MobileNet v2). */
  RELU6
}
