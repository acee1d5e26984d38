package org.slimj.engine.kernels;

/** TEMPORARY placeholder: replaced by the Vector API implementation. */
public final class VectorKernels implements Kernels {
  private final Parallel parallel;
  private final ScalarKernels ref = new ScalarKernels();

  public VectorKernels(Parallel parallel) { this.parallel = parallel; }
  public static String describeSpecies() { return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.toString(); }
  @Override public String name() { return "vector"; }
  @Override public int threads() { return parallel.threads(); }
  @Override public void sgemm(boolean ta, boolean tb, int m, int n, int k, float al, float[] a, int ao, int lda, float[] b, int bo, int ldb, float be, float[] c, int co, int ldc) { ref.sgemm(ta, tb, m, n, k, al, a, ao, lda, b, bo, ldb, be, c, co, ldc); }
  @Override public void conv2dForward(ConvShape s, float[] x, int xo, float[] w, int wo, int ldw, float[] y, int yo) { ref.conv2dForward(s, x, xo, w, wo, ldw, y, yo); }
  @Override public void conv2dBackwardData(ConvShape s, float[] dy, int dyo, float[] w, int wo, int ldw, float[] dx, int dxo) { ref.conv2dBackwardData(s, dy, dyo, w, wo, ldw, dx, dxo); }
  @Override public void conv2dBackwardWeights(ConvShape s, float[] x, int xo, float[] dy, int dyo, float[] dw, int dwo, int ldw) { ref.conv2dBackwardWeights(s, x, xo, dy, dyo, dw, dwo, ldw); }
  @Override public void depthwiseForward(ConvShape s, float[] x, int xo, float[] w, int wo, float[] y, int yo) { ref.depthwiseForward(s, x, xo, w, wo, y, yo); }
  @Override public void depthwiseBackwardData(ConvShape s, float[] dy, int dyo, float[] w, int wo, float[] dx, int dxo) { ref.depthwiseBackwardData(s, dy, dyo, w, wo, dx, dxo); }
  @Override public void depthwiseBackwardWeights(ConvShape s, float[] x, int xo, float[] dy, int dyo, float[] dw, int dwo) { ref.depthwiseBackwardWeights(s, x, xo, dy, dyo, dw, dwo); }
  @Override public void batchNormStats(int n, int c, int hw, float[] x, int xo, float[] mean, float[] var) { ref.batchNormStats(n, c, hw, x, xo, mean, var); }
  @Override public void batchNormApply(int n, int c, int hw, float[] x, int xo, float[] sc, float[] sh, float[] y, int yo) { ref.batchNormApply(n, c, hw, x, xo, sc, sh, y, yo); }
  @Override public void batchNormBackward(int n, int c, int hw, float[] x, int xo, float[] dy, int dyo, float[] mean, float[] inv, float[] g, int go, float[] dx, int dxo, float[] dg, int dgo, float[] db, int dbo) { ref.batchNormBackward(n, c, hw, x, xo, dy, dyo, mean, inv, g, go, dx, dxo, dg, dgo, db, dbo); }
  @Override public void relu(int n, float[] x, int xo, float[] y, int yo) { ref.relu(n, x, xo, y, yo); }
  @Override public void reluBackward(int n, float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo) { ref.reluBackward(n, x, xo, dy, dyo, dx, dxo); }
  @Override public void relu6(int n, float[] x, int xo, float[] y, int yo) { ref.relu6(n, x, xo, y, yo); }
  @Override public void relu6Backward(int n, float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo) { ref.relu6Backward(n, x, xo, dy, dyo, dx, dxo); }
  @Override public void add(int n, float[] a, int ao, float[] b, int bo, float[] y, int yo) { ref.add(n, a, ao, b, bo, y, yo); }
  @Override public void multiply(int n, float[] a, int ao, float[] b, int bo, float[] y, int yo) { ref.multiply(n, a, ao, b, bo, y, yo); }
  @Override public void multiplyAdd(int n, float[] a, int ao, float[] b, int bo, float[] y, int yo) { ref.multiplyAdd(n, a, ao, b, bo, y, yo); }
  @Override public void axpy(int n, float al, float[] x, int xo, float[] y, int yo) { ref.axpy(n, al, x, xo, y, yo); }
  @Override public float sum(int n, float[] x, int xo) { return ref.sum(n, x, xo); }
  @Override public float dot(int n, float[] a, int ao, float[] b, int bo) { return ref.dot(n, a, ao, b, bo); }
  @Override public void globalAvgPool(int r, int hw, float[] x, int xo, float[] y, int yo) { ref.globalAvgPool(r, hw, x, xo, y, yo); }
  @Override public void globalAvgPoolBackward(int r, int hw, float[] dy, int dyo, float[] dx, int dxo) { ref.globalAvgPoolBackward(r, hw, dy, dyo, dx, dxo); }
  @Override public void addRowVector(int r, int c, float[] v, int vo, float[] y, int yo) { ref.addRowVector(r, c, v, vo, y, yo); }
  @Override public void sumRows(int r, int c, float[] x, int xo, float[] o, int oo) { ref.sumRows(r, c, x, xo, o, oo); }
  @Override public void logSoftmaxRows(int r, int c, float[] x, int xo, float[] y, int yo) { ref.logSoftmaxRows(r, c, x, xo, y, yo); }
}
