package org.slimj.engine.kernels;

/**
 * Plain-loop reference implementation of {@link Kernels}: the oracle every other backend is tested
 * against, and the last fallback. Single-threaded and written for clarity, not speed;
 * convolutions are computed directly from their definition (no im2col), so they are an
 * independent check of the GEMM-based backends.
 */
public final class ScalarKernels implements Kernels {

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public int threads() {
    return 1;
  }

  @Override
  public void sgemm(
      boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float acc = 0f;
        for (int p = 0; p < k; p++) {
          float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
          float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
          acc += av * bv;
        }
        int ci = cOff + i * ldc + j;
        c[ci] = beta == 0f ? alpha * acc : alpha * acc + beta * c[ci];
      }
    }
  }

  @Override
  public void conv2dForward(ConvShape s, float[] x, int xOff, float[] w, int wOff, int ldw, float[] y, int yOff) {
    int ho = s.hout();
    int wo = s.wout();
    int kk = s.kernelArea();
    for (int n = 0; n < s.n(); n++) {
      for (int o = 0; o < s.cout(); o++) {
        for (int oy = 0; oy < ho; oy++) {
          for (int ox = 0; ox < wo; ox++) {
            float acc = 0f;
            for (int c = 0; c < s.cin(); c++) {
              int xBase = xOff + (n * s.cin() + c) * s.h() * s.w();
              int wBase = wOff + o * ldw + c * kk;
              for (int ky = 0; ky < s.kh(); ky++) {
                int iy = oy * s.stride() - s.pad() + ky;
                if (iy < 0 || iy >= s.h()) {
                  continue;
                }
                for (int kx = 0; kx < s.kw(); kx++) {
                  int ix = ox * s.stride() - s.pad() + kx;
                  if (ix >= 0 && ix < s.w()) {
                    acc += x[xBase + iy * s.w() + ix] * w[wBase + ky * s.kw() + kx];
                  }
                }
              }
            }
            y[yOff + ((n * s.cout() + o) * ho + oy) * wo + ox] = acc;
          }
        }
      }
    }
  }

  @Override
  public void conv2dBackwardData(
      ConvShape s, float[] dy, int dyOff, float[] w, int wOff, int ldw, float[] dx, int dxOff) {
    int ho = s.hout();
    int wo = s.wout();
    int kk = s.kernelArea();
    for (int n = 0; n < s.n(); n++) {
      for (int o = 0; o < s.cout(); o++) {
        for (int oy = 0; oy < ho; oy++) {
          for (int ox = 0; ox < wo; ox++) {
            float g = dy[dyOff + ((n * s.cout() + o) * ho + oy) * wo + ox];
            for (int c = 0; c < s.cin(); c++) {
              int xBase = dxOff + (n * s.cin() + c) * s.h() * s.w();
              int wBase = wOff + o * ldw + c * kk;
              for (int ky = 0; ky < s.kh(); ky++) {
                int iy = oy * s.stride() - s.pad() + ky;
                if (iy < 0 || iy >= s.h()) {
                  continue;
                }
                for (int kx = 0; kx < s.kw(); kx++) {
                  int ix = ox * s.stride() - s.pad() + kx;
                  if (ix >= 0 && ix < s.w()) {
                    dx[xBase + iy * s.w() + ix] += g * w[wBase + ky * s.kw() + kx];
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  @Override
  public void conv2dBackwardWeights(
      ConvShape s, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff, int ldw) {
    int ho = s.hout();
    int wo = s.wout();
    int kk = s.kernelArea();
    for (int o = 0; o < s.cout(); o++) {
      for (int c = 0; c < s.cin(); c++) {
        for (int ky = 0; ky < s.kh(); ky++) {
          for (int kx = 0; kx < s.kw(); kx++) {
            float acc = 0f;
            for (int n = 0; n < s.n(); n++) {
              int xBase = xOff + (n * s.cin() + c) * s.h() * s.w();
              int yBase = dyOff + (n * s.cout() + o) * ho * wo;
              for (int oy = 0; oy < ho; oy++) {
                int iy = oy * s.stride() - s.pad() + ky;
                if (iy < 0 || iy >= s.h()) {
                  continue;
                }
                for (int ox = 0; ox < wo; ox++) {
                  int ix = ox * s.stride() - s.pad() + kx;
                  if (ix >= 0 && ix < s.w()) {
                    acc += x[xBase + iy * s.w() + ix] * dy[yBase + oy * wo + ox];
                  }
                }
              }
            }
            dw[dwOff + o * ldw + c * kk + ky * s.kw() + kx] += acc;
          }
        }
      }
    }
  }

  @Override
  public void depthwiseForward(ConvShape s, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff) {
    int ho = s.hout();
    int wo = s.wout();
    int kk = s.kernelArea();
    int c = s.cout();
    for (int n = 0; n < s.n(); n++) {
      for (int ch = 0; ch < c; ch++) {
        int xBase = xOff + (n * c + ch) * s.h() * s.w();
        int wBase = wOff + ch * kk;
        for (int oy = 0; oy < ho; oy++) {
          for (int ox = 0; ox < wo; ox++) {
            float acc = 0f;
            for (int ky = 0; ky < s.kh(); ky++) {
              int iy = oy * s.stride() - s.pad() + ky;
              if (iy < 0 || iy >= s.h()) {
                continue;
              }
              for (int kx = 0; kx < s.kw(); kx++) {
                int ix = ox * s.stride() - s.pad() + kx;
                if (ix >= 0 && ix < s.w()) {
                  acc += x[xBase + iy * s.w() + ix] * w[wBase + ky * s.kw() + kx];
                }
              }
            }
            y[yOff + ((n * c + ch) * ho + oy) * wo + ox] = acc;
          }
        }
      }
    }
  }

  @Override
  public void depthwiseBackwardData(ConvShape s, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
    int ho = s.hout();
    int wo = s.wout();
    int kk = s.kernelArea();
    int c = s.cout();
    for (int n = 0; n < s.n(); n++) {
      for (int ch = 0; ch < c; ch++) {
        int xBase = dxOff + (n * c + ch) * s.h() * s.w();
        int wBase = wOff + ch * kk;
        for (int oy = 0; oy < ho; oy++) {
          for (int ox = 0; ox < wo; ox++) {
            float g = dy[dyOff + ((n * c + ch) * ho + oy) * wo + ox];
            for (int ky = 0; ky < s.kh(); ky++) {
              int iy = oy * s.stride() - s.pad() + ky;
              if (iy < 0 || iy >= s.h()) {
                continue;
              }
              for (int kx = 0; kx < s.kw(); kx++) {
                int ix = ox * s.stride() - s.pad() + kx;
                if (ix >= 0 && ix < s.w()) {
                  dx[xBase + iy * s.w() + ix] += g * w[wBase + ky * s.kw() + kx];
                }
              }
            }
          }
        }
      }
    }
  }

  @Override
  public void depthwiseBackwardWeights(ConvShape s, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff) {
    int ho = s.hout();
    int wo = s.wout();
    int kk = s.kernelArea();
    int c = s.cout();
    for (int ch = 0; ch < c; ch++) {
      for (int ky = 0; ky < s.kh(); ky++) {
        for (int kx = 0; kx < s.kw(); kx++) {
          float acc = 0f;
          for (int n = 0; n < s.n(); n++) {
            int xBase = xOff + (n * c + ch) * s.h() * s.w();
            int yBase = dyOff + (n * c + ch) * ho * wo;
            for (int oy = 0; oy < ho; oy++) {
              int iy = oy * s.stride() - s.pad() + ky;
              if (iy < 0 || iy >= s.h()) {
                continue;
              }
              for (int ox = 0; ox < wo; ox++) {
                int ix = ox * s.stride() - s.pad() + kx;
                if (ix >= 0 && ix < s.w()) {
                  acc += x[xBase + iy * s.w() + ix] * dy[yBase + oy * wo + ox];
                }
              }
            }
          }
          dw[dwOff + ch * kk + ky * s.kw() + kx] += acc;
        }
      }
    }
  }

  @Override
  public void batchNormStats(int n, int c, int hw, float[] x, int xOff, float[] mean, float[] var) {
    double count = (double) n * hw;
    for (int ch = 0; ch < c; ch++) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        int base = xOff + (i * c + ch) * hw;
        for (int j = 0; j < hw; j++) {
          s += x[base + j];
        }
      }
      double m = s / count;
      double ss = 0;
      for (int i = 0; i < n; i++) {
        int base = xOff + (i * c + ch) * hw;
        for (int j = 0; j < hw; j++) {
          double d = x[base + j] - m;
          ss += d * d;
        }
      }
      mean[ch] = (float) m;
      var[ch] = (float) (ss / count);
    }
  }

  @Override
  public void batchNormApply(int n, int c, int hw, float[] x, int xOff, float[] scale, float[] shift, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < c; ch++) {
        int base = (i * c + ch) * hw;
        for (int j = 0; j < hw; j++) {
          y[yOff + base + j] = x[xOff + base + j] * scale[ch] + shift[ch];
        }
      }
    }
  }

  @Override
  public void batchNormBackward(
      int n, int c, int hw, float[] x, int xOff, float[] dy, int dyOff,
      float[] mean, float[] invStd, float[] gamma, int gammaOff,
      float[] dx, int dxOff, float[] dGamma, int dGammaOff, float[] dBeta, int dBetaOff) {
    double count = (double) n * hw;
    for (int ch = 0; ch < c; ch++) {
      double sumDy = 0;
      double sumDyXhat = 0;
      for (int i = 0; i < n; i++) {
        int base = (i * c + ch) * hw;
        for (int j = 0; j < hw; j++) {
          float g = dy[dyOff + base + j];
          sumDy += g;
          sumDyXhat += g * (x[xOff + base + j] - mean[ch]) * invStd[ch];
        }
      }
      dGamma[dGammaOff + ch] += (float) sumDyXhat;
      dBeta[dBetaOff + ch] += (float) sumDy;
      if (dx != null) {
        float k = gamma[gammaOff + ch] * invStd[ch];
        float meanDy = (float) (sumDy / count);
        float meanDyXhat = (float) (sumDyXhat / count);
        for (int i = 0; i < n; i++) {
          int base = (i * c + ch) * hw;
          for (int j = 0; j < hw; j++) {
            float xhat = (x[xOff + base + j] - mean[ch]) * invStd[ch];
            dx[dxOff + base + j] += k * (dy[dyOff + base + j] - meanDy - xhat * meanDyXhat);
          }
        }
      }
    }
  }

  @Override
  public void relu(int n, float[] x, int xOff, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = Math.max(x[xOff + i], 0f);
    }
  }

  @Override
  public void reluBackward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    for (int i = 0; i < n; i++) {
      if (x[xOff + i] > 0f) {
        dx[dxOff + i] += dy[dyOff + i];
      }
    }
  }

  @Override
  public void relu6(int n, float[] x, int xOff, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = Math.min(Math.max(x[xOff + i], 0f), 6f);
    }
  }

  @Override
  public void relu6Backward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    for (int i = 0; i < n; i++) {
      float v = x[xOff + i];
      if (v > 0f && v < 6f) {
        dx[dxOff + i] += dy[dyOff + i];
      }
    }
  }

  @Override
  public void add(int n, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = a[aOff + i] + b[bOff + i];
    }
  }

  @Override
  public void multiply(int n, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = a[aOff + i] * b[bOff + i];
    }
  }

  @Override
  public void multiplyAdd(int n, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] += a[aOff + i] * b[bOff + i];
    }
  }

  @Override
  public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] += alpha * x[xOff + i];
    }
  }

  @Override
  public float sum(int n, float[] x, int xOff) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += x[xOff + i];
    }
    return (float) s;
  }

  @Override
  public float dot(int n, float[] a, int aOff, float[] b, int bOff) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += (double) a[aOff + i] * b[bOff + i];
    }
    return (float) s;
  }

  @Override
  public void globalAvgPool(int rows, int hw, float[] x, int xOff, float[] y, int yOff) {
    for (int r = 0; r < rows; r++) {
      double s = 0;
      for (int j = 0; j < hw; j++) {
        s += x[xOff + r * hw + j];
      }
      y[yOff + r] = (float) (s / hw);
    }
  }

  @Override
  public void globalAvgPoolBackward(int rows, int hw, float[] dy, int dyOff, float[] dx, int dxOff) {
    for (int r = 0; r < rows; r++) {
      float g = dy[dyOff + r] / hw;
      for (int j = 0; j < hw; j++) {
        dx[dxOff + r * hw + j] += g;
      }
    }
  }

  @Override
  public void addRowVector(int rows, int cols, float[] v, int vOff, float[] y, int yOff) {
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < cols; j++) {
        y[yOff + r * cols + j] += v[vOff + j];
      }
    }
  }

  @Override
  public void sumRows(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
    for (int j = 0; j < cols; j++) {
      double s = 0;
      for (int r = 0; r < rows; r++) {
        s += x[xOff + r * cols + j];
      }
      out[outOff + j] += (float) s;
    }
  }

  @Override
  public void logSoftmaxRows(int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < cols; j++) {
        max = Math.max(max, x[xOff + base + j]);
      }
      double s = 0;
      for (int j = 0; j < cols; j++) {
        s += Math.exp(x[xOff + base + j] - max);
      }
      float lse = (float) (max + Math.log(s));
      for (int j = 0; j < cols; j++) {
        y[yOff + base + j] = x[xOff + base + j] - lse;
      }
    }
  }
}
