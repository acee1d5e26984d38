package org.slimj.engine.kernels;

/**
 * Geometry of one convolution call (groups 1, or depthwise with {@code cin == cout}): batch,
 * channels, input size, kernel, stride and padding (same on both axes). Output size follows.
 *
 * @param n batch size
 * @param cin active input channels
 * @param h input height
 * @param w input width
 * @param cout active output channels
 * @param kh kernel height
 * @param kw kernel width
 * @param stride stride on both axes
 * @param pad zero padding on both axes
 */
public record ConvShape(int n, int cin, int h, int w, int cout, int kh, int kw, int stride, int pad) {
  public ConvShape {
    if (n < 1 || cin < 1 || h < 1 || w < 1 || cout < 1 || kh < 1 || kw < 1 || stride < 1 || pad < 0) {
      throw new IllegalArgumentException("invalid convolution geometry " + describe(n, cin, h, w, cout, kh, kw, stride, pad));
    }
    if (h + 2 * pad < kh || w + 2 * pad < kw) {
      throw new IllegalArgumentException(
          "kernel " + kh + "x" + kw + " larger than padded input " + (h + 2 * pad) + "x" + (w + 2 * pad));
    }
  }

  /** Output height. */
  public int hout() {
    return (h + 2 * pad - kh) / stride + 1;
  }

  /** Output width. */
  public int wout() {
    return (w + 2 * pad - kw) / stride + 1;
  }

  /** Elements per kernel window ({@code kh * kw}). */
  public int kernelArea() {
    return kh * kw;
  }

  /** Input elements of one image ({@code cin * h * w}). */
  public int inPerImage() {
    return cin * h * w;
  }

  /** Output elements of one image ({@code cout * hout * wout}). */
  public int outPerImage() {
    return cout * hout() * wout();
  }

  /** Multiply-adds of this call as a dense (groups 1) convolution. */
  public long macs() {
    return (long) n * cout * hout() * wout() * cin * kh * kw;
  }

  /** Multiply-adds of this call as a depthwise convolution. */
  public long depthwiseMacs() {
    return (long) n * cout * hout() * wout() * kh * kw;
  }

  private static String describe(int n, int cin, int h, int w, int cout, int kh, int kw, int stride, int pad) {
    return "(n=" + n + ", cin=" + cin + ", h=" + h + ", w=" + w + ", cout=" + cout + ", k=" + kh + "x" + kw
        + ", stride=" + stride + ", pad=" + pad + ")";
  }
}
