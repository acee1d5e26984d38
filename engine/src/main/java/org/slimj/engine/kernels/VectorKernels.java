package org.slimj.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API backend ({@code jdk.incubator.vector}), the default where it runs. Each family of
 * kernels lives in its own helper: {@link VectorGemm} (packed, register-blocked SGEMM), {@link
 * VectorConv} (dense convolutions as GEMMs), {@link VectorDepthwise}, {@link VectorBatchNorm},
 * {@link VectorElementwise} and {@link VectorReductions}; this class only routes calls.
 *
 * <p>Work is split over the {@link Parallel} pool given at construction with deterministic
 * chunking: the same inputs and thread count give bit-identical results. Scratch memory is kept
 * per thread and reused, so steady-state calls allocate (almost) nothing. Instances hold no mutable
 * shared state and may be called from several threads at once.
 */
public final class VectorKernels implements Kernels {
  /** The vector shape used everywhere: the widest the CPU runs well (256 bits on AVX2, 512 on AVX-512). */
  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  private final Parallel parallel;
  private final VectorGemm gemm;
  private final VectorConv conv;
  private final VectorDepthwise depthwise;
  private final VectorBatchNorm batchNorm;
  private final VectorElementwise elementwise;
  private final VectorReductions reductions;

  /** A backend that splits work over {@code parallel} (which it does not close). */
  public VectorKernels(Parallel parallel) {
    this.parallel = parallel;
    ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(Workspace::new);
    this.gemm = new VectorGemm(parallel, workspaces);
    this.conv = new VectorConv(parallel, workspaces, gemm);
    this.depthwise = new VectorDepthwise(parallel, workspaces);
    this.batchNorm = new VectorBatchNorm(parallel);
    this.elementwise = new VectorElementwise(parallel);
    this.reductions = new VectorReductions(parallel);
  }

  /** The vector species in use, for logs (e.g. {@code Species[float, 8, S_256_BIT]}). */
  public static String describeSpecies() {
    return SPECIES.toString();
  }

  @Override
  public String name() {
    return "vector";
  }

  @Override
  public int threads() {
    return parallel.threads();
  }

  @Override
  public void sgemm(
      boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    gemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
  }

  @Override
  public void conv2dForward(ConvShape s, float[] x, int xOff, float[] w, int wOff, int ldw, float[] y, int yOff) {
    conv.forward(s, x, xOff, w, wOff, ldw, y, yOff);
  }

  @Override
  public void conv2dBackwardData(
      ConvShape s, float[] dy, int dyOff, float[] w, int wOff, int ldw, float[] dx, int dxOff) {
    conv.backwardData(s, dy, dyOff, w, wOff, ldw, dx, dxOff);
  }

  @Override
  public void conv2dBackwardWeights(
      ConvShape s, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff, int ldw) {
    conv.backwardWeights(s, x, xOff, dy, dyOff, dw, dwOff, ldw);
  }

  @Override
  public void depthwiseForward(ConvShape s, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff) {
    depthwise.forward(s, x, xOff, w, wOff, y, yOff);
  }

  @Override
  public void depthwiseBackwardData(ConvShape s, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
    depthwise.backwardData(s, dy, dyOff, w, wOff, dx, dxOff);
  }

  @Override
  public void depthwiseBackwardWeights(
      ConvShape s, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff) {
    depthwise.backwardWeights(s, x, xOff, dy, dyOff, dw, dwOff);
  }

  @Override
  public void batchNormStats(int n, int c, int hw, float[] x, int xOff, float[] mean, float[] var) {
    batchNorm.stats(n, c, hw, x, xOff, mean, var);
  }

  @Override
  public void batchNormApply(
      int n, int c, int hw, float[] x, int xOff, float[] scale, float[] shift, float[] y, int yOff) {
    batchNorm.apply(n, c, hw, x, xOff, scale, shift, y, yOff);
  }

  @Override
  public void batchNormBackward(
      int n, int c, int hw, float[] x, int xOff, float[] dy, int dyOff,
      float[] mean, float[] invStd, float[] gamma, int gammaOff,
      float[] dx, int dxOff, float[] dGamma, int dGammaOff, float[] dBeta, int dBetaOff) {
    batchNorm.backward(n, c, hw, x, xOff, dy, dyOff, mean, invStd, gamma, gammaOff,
        dx, dxOff, dGamma, dGammaOff, dBeta, dBetaOff);
  }

  @Override
  public void relu(int n, float[] x, int xOff, float[] y, int yOff) {
    elementwise.relu(n, x, xOff, y, yOff);
  }

  @Override
  public void reluBackward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    elementwise.passBetween(n, Float.POSITIVE_INFINITY, x, xOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void relu6(int n, float[] x, int xOff, float[] y, int yOff) {
    elementwise.relu6(n, x, xOff, y, yOff);
  }

  @Override
  public void relu6Backward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    elementwise.passBetween(n, 6f, x, xOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void add(int n, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff) {
    elementwise.add(n, a, aOff, b, bOff, y, yOff);
  }

  @Override
  public void multiply(int n, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff) {
    elementwise.multiply(n, a, aOff, b, bOff, y, yOff);
  }

  @Override
  public void multiplyAdd(int n, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff) {
    elementwise.multiplyAdd(n, a, aOff, b, bOff, y, yOff);
  }

  @Override
  public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    elementwise.axpy(n, alpha, x, xOff, y, yOff);
  }

  @Override
  public float sum(int n, float[] x, int xOff) {
    return (float) VectorReductions.sum(n, x, xOff);
  }

  @Override
  public float dot(int n, float[] a, int aOff, float[] b, int bOff) {
    return (float) VectorReductions.dot(n, a, aOff, b, bOff);
  }

  @Override
  public void globalAvgPool(int rows, int hw, float[] x, int xOff, float[] y, int yOff) {
    reductions.globalAvgPool(rows, hw, x, xOff, y, yOff);
  }

  @Override
  public void globalAvgPoolBackward(int rows, int hw, float[] dy, int dyOff, float[] dx, int dxOff) {
    reductions.globalAvgPoolBackward(rows, hw, dy, dyOff, dx, dxOff);
  }

  @Override
  public void addRowVector(int rows, int cols, float[] v, int vOff, float[] y, int yOff) {
    reductions.addRowVector(rows, cols, v, vOff, y, yOff);
  }

  @Override
  public void sumRows(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
    reductions.sumRows(rows, cols, x, xOff, out, outOff);
  }

  @Override
  public void logSoftmaxRows(int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
    reductions.logSoftmaxRows(rows, cols, x, xOff, y, yOff);
  }
}
