package org.slimj.engine.infer;

import org.slimj.engine.space.Activation;

/**
 * The fused tails of inference layers, one pass over memory each: per-channel bias plus
 * activation after a convolution or a fully connected layer, and sum plus activation for residual
 * adds. Plain loops the JIT vectorises; the kernels stay untouched.
 */
final class Epilogue {
  private Epilogue() {}

  /**
   * {@code y[b, c, j] = act(y[b, c, j] + bias[c])} over {@code n} images of {@code c} channels of
   * {@code hw} values ({@code hw = 1} for a fully connected layer's {@code [n, c]}); {@code bias}
   * may be null.
   */
  static void biasActivation(float[] y, int off, int n, int c, int hw, float[] bias, Activation act) {
    if (bias == null && act == Activation.NONE) {
      return;
    }
    if (hw == 1) {
      for (int b = 0; b < n; b++) {
        row(y, off + b * c, c, bias, act);
      }
      return;
    }
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        plane(y, off + (b * c + ch) * hw, hw, bias == null ? 0f : bias[ch], act);
      }
    }
  }

  private static void plane(float[] y, int s, int hw, float bv, Activation act) {
    int e = s + hw;
    switch (act) {
      case NONE -> {
        for (int i = s; i < e; i++) {
          y[i] += bv;
        }
      }
      case RELU -> {
        for (int i = s; i < e; i++) {
          y[i] = Math.max(y[i] + bv, 0f);
        }
      }
      case RELU6 -> {
        for (int i = s; i < e; i++) {
          y[i] = Math.min(Math.max(y[i] + bv, 0f), 6f);
        }
      }
    }
  }

  private static void row(float[] y, int s, int c, float[] bias, Activation act) {
    for (int j = 0; j < c; j++) {
      float v = y[s + j] + (bias == null ? 0f : bias[j]);
      y[s + j] = switch (act) {
        case NONE -> v;
        case RELU -> Math.max(v, 0f);
        case RELU6 -> Math.min(Math.max(v, 0f), 6f);
      };
    }
  }

  /** {@code y[i] = act(a[i] + b[i])} for {@code count} values. */
  static void addActivation(int count, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, Activation act) {
    switch (act) {
      case NONE -> {
        for (int i = 0; i < count; i++) {
          y[yOff + i] = a[aOff + i] + b[bOff + i];
        }
      }
      case RELU -> {
        for (int i = 0; i < count; i++) {
          y[yOff + i] = Math.max(a[aOff + i] + b[bOff + i], 0f);
        }
      }
      case RELU6 -> {
        for (int i = 0; i < count; i++) {
          y[yOff + i] = Math.min(Math.max(a[aOff + i] + b[bOff + i], 0f), 6f);
        }
      }
    }
  }
}
