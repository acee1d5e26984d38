package org.slimj.engine.graph;

import java.util.Locale;

/**
 * The kinds of layer in a traced or exported network, in execution order (see {@link
 * TracedLayer}): convolutions and the fully connected layer carry weights; the others are
 * parameter-free.
 */
public enum OpKind {
  /** Dense convolution (groups 1), weight {@code [cout, cin, k, k]}. */
  CONV,
  /** Depthwise convolution (cin = cout), weight {@code [c, 1, k, k]}. */
  DEPTHWISE,
  /** Fully connected layer on {@code [N, cin]}, weight {@code [cout, cin]}. */
  LINEAR,
  /** Element-wise sum of the input and an earlier output (the residual link) of the same shape. */
  ADD,
  /**
   * The parameter-free ResNet shortcut (He et al. 2016 §4.2, option A): subsample by the stride,
   * keep the first min(cin, cout) channels and pad with zero channels up to cout.
   */
  SHORTCUT,
  /** Global average pooling {@code [N, C, H, W] -> [N, C]}. */
  POOL,
  /** Flattening {@code [N, C, H, W] -> [N, C*H*W]}. */
  FLATTEN;

  /** Lower-case name, as written in an exported network's JSON. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether layers of this kind have a weight tensor. */
  public boolean hasWeight() {
    return this == CONV || this == DEPTHWISE || this == LINEAR;
  }

  /** Parses a JSON kind name; {@code where} names the field in errors. */
  public static OpKind parse(String s, String where) {
    for (OpKind k : values()) {
      if (k.jsonName().equals(s)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        where + ": expected conv, depthwise, linear, add, shortcut, pool or flatten, found '" + s + "'");
  }
}
