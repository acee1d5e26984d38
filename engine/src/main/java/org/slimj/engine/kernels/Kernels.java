package org.slimj.engine.kernels;

/**
 * The primitives every backend implements. Hot loops take float arrays, offsets, dimensions and
 * leading dimensions, never tensors, so a channel prefix of a weight allocated at its maximum size
 * is passed as a leading-dimension trick instead of a copy.
 *
 * <p>Conventions: all matrices are row-major; outputs come first in the documentation but last in
 * the argument lists; forward kernels <b>overwrite</b> their output; every backward kernel
 * <b>adds</b> into its gradient outputs (so gradients of a tensor used twice, and of several
 * widths in one training step, accumulate). Implementations check their arguments with {@code
 * assert} only: the public layers and ops check shapes before calling.
 *
 * <p>Weights of a dense convolution: output channel {@code o} occupies the row starting at {@code
 * wOff + o * ldw}; within a row, input channel {@code c} has its {@code kh * kw} taps at {@code c *
 * kh * kw}. With weights allocated as {@code [coutMax, cinMax, kh, kw]}, the prefix {@code [:cout,
 * :cin]} is {@code ldw = cinMax * kh * kw}. Depthwise weights: channel {@code c}'s taps at {@code
 * wOff + c * kh * kw}.
 *
 * <p>Implementations are immutable and safe to call from several threads at once.
 */
public interface Kernels {

  /** Short name of the backend ({@code scalar}, {@code vector}, ...). */
  String name();

  /** Number of threads the backend splits work over. */
  int threads();

  /**
   * {@code C = alpha * op(A) * op(B) + beta * C} with {@code op(A)} of size m x k and {@code
   * op(B)} k x n. A is stored m x k (lda >= k) or, if {@code transA}, k x m (lda >= m); likewise B
   * is k x n (ldb >= n) or, if {@code transB}, n x k (ldb >= k). C is m x n with ldc >= n. When
   * {@code beta == 0} the old contents of C are ignored (NaN-safe).
   */
  void sgemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      float[] a,
      int aOff,
      int lda,
      float[] b,
      int bOff,
      int ldb,
      float beta,
      float[] c,
      int cOff,
      int ldc);

  /** Dense convolution: y[n, cout, hout, wout] = conv(x[n, cin, h, w], w) (overwrites y). */
  void conv2dForward(ConvShape s, float[] x, int xOff, float[] w, int wOff, int ldw, float[] y, int yOff);

  /** dx[n, cin, h, w] += gradient of the convolution with respect to its input. */
  void conv2dBackwardData(
      ConvShape s, float[] dy, int dyOff, float[] w, int wOff, int ldw, float[] dx, int dxOff);

  /** dw (rows of ldw, see class doc) += gradient with respect to the weights, summed over the batch. */
  void conv2dBackwardWeights(
      ConvShape s, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff, int ldw);

  /** Depthwise convolution ({@code s.cin() == s.cout()}): y = dwconv(x, w) (overwrites y). */
  void depthwiseForward(ConvShape s, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff);

  /** dx += gradient of the depthwise convolution with respect to its input. */
  void depthwiseBackwardData(ConvShape s, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff);

  /** dw (channel c at {@code dwOff + c*kh*kw}) += weight gradient summed over the batch. */
  void depthwiseBackwardWeights(ConvShape s, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff);

  /**
   * Per-channel batch mean and biased variance of x[n, c, hw]: writes {@code mean[0..c)} and
   * {@code var[0..c)}.
   */
  void batchNormStats(int n, int c, int hw, float[] x, int xOff, float[] mean, float[] var);

  /**
   * Per-channel affine map y[n, c, hw] = x * scale[c] + shift[c] (overwrites y; y may be x). Batch
   * norm in both modes reduces to this once scale = gamma * invStd and shift = beta - mean * scale.
   */
  void batchNormApply(int n, int c, int hw, float[] x, int xOff, float[] scale, float[] shift, float[] y, int yOff);

  /**
   * Backward of training-mode batch norm (batch statistics) for x[n, c, hw]. With xhat = (x -
   * mean[c]) * invStd[c]: dGamma[c] += sum(dy * xhat), dBeta[c] += sum(dy), and, if {@code dx} is
   * not null, dx += gamma[c] * invStd[c] * (dy - mean(dy) - xhat * mean(dy * xhat)) with means over
   * the n * hw elements of the channel.
   */
  void batchNormBackward(
      int n,
      int c,
      int hw,
      float[] x,
      int xOff,
      float[] dy,
      int dyOff,
      float[] mean,
      float[] invStd,
      float[] gamma,
      int gammaOff,
      float[] dx,
      int dxOff,
      float[] dGamma,
      int dGammaOff,
      float[] dBeta,
      int dBetaOff);

  /** y = max(x, 0). */
  void relu(int n, float[] x, int xOff, float[] y, int yOff);

  /** dx += dy where x > 0. */
  void reluBackward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff);

  /** y = min(max(x, 0), 6). */
  void relu6(int n, float[] x, int xOff, float[] y, int yOff);

  /** {@code dx += dy} where {@code 0 < x < 6}. */
  void relu6Backward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff);

  /** y = a + b. */
  void add(int n, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff);

  /** y = a * b (element-wise). */
  void multiply(int n, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff);

  /** y += a * b (element-wise). */
  void multiplyAdd(int n, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff);

  /** y += alpha * x. */
  void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

  /** Sum of n elements. */
  float sum(int n, float[] x, int xOff);

  /** Dot product of n elements. */
  float dot(int n, float[] a, int aOff, float[] b, int bOff);

  /** y[r] = mean of x[r, 0..hw) for each of {@code rows} rows (global average pooling). */
  void globalAvgPool(int rows, int hw, float[] x, int xOff, float[] y, int yOff);

  /** dx[r, j] += dy[r] / hw. */
  void globalAvgPoolBackward(int rows, int hw, float[] dy, int dyOff, float[] dx, int dxOff);

  /** y[r, j] += v[j] for a rows x cols matrix y (bias add). */
  void addRowVector(int rows, int cols, float[] v, int vOff, float[] y, int yOff);

  /** out[j] += sum over r of x[r, j] (bias gradient). */
  void sumRows(int rows, int cols, float[] x, int xOff, float[] out, int outOff);

  /** y[r, :] = log_softmax(x[r, :]) for a rows x cols matrix, numerically stable (y may be x). */
  void logSoftmaxRows(int rows, int cols, float[] x, int xOff, float[] y, int yOff);
}
