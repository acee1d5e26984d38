package org.slimj.engine.space;

/** Kinds of layers whose cost depends on channel counts. */
public enum LayerKind {
  /** Dense convolution (groups 1). */
  CONV,
  /** Depthwise convolution: channels in = channels out. */
  DEPTHWISE,
  /** Fully connected layer. */
  LINEAR
}
