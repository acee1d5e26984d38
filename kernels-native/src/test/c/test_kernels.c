/*
 * Checks every instruction-set table this build has and this CPU runs against plain-C reference
 * loops: sgemm (all four transposes, odd and prime sizes, leading dimensions wider than the
 * matrices, alpha/beta, NaN in C with beta 0, several k blocks), convolution forward (1x1, k x k,
 * strides, padding, column ranges, sliced weights), the convolution weight gradient (split over
 * output channels) and 1x1 backward data, and depthwise forward / backward data / backward weights
 * (all accumulating into pre-filled outputs). Seeds are printed with every failure.
 *
 * Built and run by scripts/test-neon.sh (for AArch64 under qemu) or natively:
 *   gcc -O2 -std=c11 -Isrc/main/c src/main/c/kernels_*.c src/test/c/test_kernels.c -lm
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slimj_kernels.h"

static uint64_t rng;
static float next_float(void) { /* uniform in [-1, 1) */
  rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
  return (float)((rng >> 40) * (1.0 / (1 << 24))) * 2.0f - 1.0f;
}
static float *random_array(long n) {
  float *a = malloc(sizeof(float) * (size_t)(n > 0 ? n : 1));
  for (long i = 0; i < n; i++) a[i] = next_float();
  return a;
}
static float *workspace(size_t floats) {
  float *w = aligned_alloc(64, (floats * sizeof(float) + 63) / 64 * 64);
  for (size_t i = 0; i < floats; i++) w[i] = NAN; /* the drivers must not read what they did not write */
  return w;
}

static int failures, checks;

/* Compares arrays of length n: |e - a| <= tol * (1 + |e|), NaN only against NaN. */
static void compare(const char *what, uint64_t seed, const float *e, const float *a, long n, double tol) {
  checks++;
  for (long i = 0; i < n; i++) {
    int bad = isnan(e[i]) || isnan(a[i]) ? !(isnan(e[i]) && isnan(a[i]))
                                         : fabs((double)e[i] - a[i]) > tol * (1 + fabs(e[i]));
    if (bad) {
      if (failures++ < 20)
        printf("FAIL %s seed=%llu at [%ld]: expected %g, found %g\n", what, (unsigned long long)seed, i, e[i], a[i]);
      return;
    }
  }
}

/* ------------------------------------------------------------------ references */

static void ref_sgemm(int ta, int tb, int m, int n, int k, float alpha, const float *a, int lda, const float *b,
                      int ldb, float beta, float *c, int ldc) {
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++) {
      double acc = 0;
      for (int p = 0; p < k; p++)
        acc += (double)(ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
      c[i * ldc + j] = beta == 0 ? (float)(alpha * acc) : (float)(alpha * acc + beta * c[i * ldc + j]);
    }
}

static int in_range(const slimj_conv *s, int iy, int ix) { return iy >= 0 && iy < s->h && ix >= 0 && ix < s->w; }

static void ref_conv(const slimj_conv *s, int n, const float *x, const float *w, int ldw, float *y) {
  int ho = slimj_conv_hout(s), wo = slimj_conv_wout(s), kk = s->kh * s->kw;
  for (int i = 0; i < n; i++)
    for (int o = 0; o < s->cout; o++)
      for (int oy = 0; oy < ho; oy++)
        for (int ox = 0; ox < wo; ox++) {
          double acc = 0;
          for (int c = 0; c < s->cin; c++)
            for (int ky = 0; ky < s->kh; ky++)
              for (int kx = 0; kx < s->kw; kx++) {
                int iy = oy * s->stride - s->pad + ky, ix = ox * s->stride - s->pad + kx;
                if (in_range(s, iy, ix))
                  acc += (double)x[((i * s->cin + c) * s->h + iy) * s->w + ix] *
                         w[o * ldw + c * kk + ky * s->kw + kx];
              }
          y[((i * s->cout + o) * ho + oy) * wo + ox] = (float)acc;
        }
}

/* mode 0: y = dw(x); 1: dx += dgrad(dy); 2: dw += wgrad(x, dy) */
static void ref_depthwise(int mode, const slimj_conv *s, int n, const float *x, float *w, float *y) {
  int ho = slimj_conv_hout(s), wo = slimj_conv_wout(s), kk = s->kh * s->kw, c = s->cout;
  for (int i = 0; i < n; i++)
    for (int ch = 0; ch < c; ch++)
      for (int oy = 0; oy < ho; oy++)
        for (int ox = 0; ox < wo; ox++) {
          long yi = ((long)(i * c + ch) * ho + oy) * wo + ox;
          double acc = 0;
          for (int ky = 0; ky < s->kh; ky++)
            for (int kx = 0; kx < s->kw; kx++) {
              int iy = oy * s->stride - s->pad + ky, ix = ox * s->stride - s->pad + kx;
              if (!in_range(s, iy, ix)) continue;
              long xi = ((long)(i * c + ch) * s->h + iy) * s->w + ix;
              float *wp = w + ch * kk + ky * s->kw + kx;
              if (mode == 0) acc += (double)x[xi] * *wp;
              if (mode == 1) ((float *)x)[xi] += y[yi] * *wp;
              if (mode == 2) *wp += x[xi] * y[yi];
            }
          if (mode == 0) y[yi] = (float)acc;
        }
}

/* ------------------------------------------------------------------ checks */

static void check_sgemm(const slimj_isa *isa, int ta, int tb, int m, int n, int k, float alpha, float beta,
                        uint64_t seed) {
  rng = seed;
  int lda = (ta ? m : k) + (int)(seed % 3), ldb = (tb ? k : n) + (int)(seed % 2), ldc = n + (int)(seed % 4);
  float *a = random_array((long)(ta ? k : m) * lda), *b = random_array((long)(tb ? n : k) * ldb);
  float *c = random_array((long)m * ldc), *e = malloc(sizeof(float) * (size_t)(m * ldc + 1));
  if (beta == 0)
    for (int i = 0; i < m; i++)
      for (int j = 0; j < n; j++) c[i * ldc + j] = NAN;
  memcpy(e, c, sizeof(float) * (size_t)(m * ldc));
  ref_sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, e, ldc);
  float *ws = workspace(slimj_sgemm_workspace(isa, m, n, k));
  slimj_sgemm(isa, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, ws);
  char what[160];
  snprintf(what, sizeof what, "%s sgemm ta=%d tb=%d m=%d n=%d k=%d alpha=%g beta=%g", isa->name, ta, tb, m, n, k,
           alpha, beta);
  compare(what, seed, e, c, (long)m * ldc, 1e-4 * sqrt(k + 1.0));
  free(a), free(b), free(c), free(e), free(ws);
}

static void check_conv(const slimj_isa *isa, slimj_conv s, int n, int cinMax, int coutMax, uint64_t seed) {
  rng = seed;
  int ho = slimj_conv_hout(&s), wo = slimj_conv_wout(&s), ldw = cinMax * s.kh * s.kw, pixels = ho * wo;
  long ysize = (long)n * s.cout * pixels;
  float *x = random_array((long)n * s.cin * s.h * s.w), *w = random_array((long)coutMax * ldw);
  float *y = random_array(ysize), *e = malloc(sizeof(float) * (size_t)ysize);
  ref_conv(&s, n, x, w, ldw, e);
  float *ws = workspace(slimj_conv_forward_workspace(isa, &s));
  /* all images at once, then image 0 again in two column ranges */
  slimj_conv_forward(isa, &s, n, 0, pixels, x, w, ldw, y, ws);
  int mid = pixels / 3;
  for (long i = 0; i < (long)s.cout * pixels; i++) y[i] = NAN;
  slimj_conv_forward(isa, &s, 1, 0, mid, x, w, ldw, y, ws);
  slimj_conv_forward(isa, &s, 1, mid, pixels, x, w, ldw, y, ws);
  char what[200];
  snprintf(what, sizeof what, "%s conv n=%d cin=%d/%d %dx%d cout=%d/%d k=%dx%d s=%d p=%d", isa->name, n, s.cin,
           cinMax, s.h, s.w, s.cout, coutMax, s.kh, s.kw, s.stride, s.pad);
  compare(what, seed, e, y, ysize, 1e-4 * sqrt(s.cin * s.kh * s.kw + 1.0));
  free(x), free(w), free(y), free(e), free(ws);
}

static void check_depthwise(const slimj_isa *isa, slimj_conv s, int n, uint64_t seed) {
  rng = seed;
  int c = s.cout, kk = s.kh * s.kw;
  long xsize = (long)n * c * s.h * s.w, ysize = (long)n * c * slimj_conv_hout(&s) * slimj_conv_wout(&s);
  float *x = random_array(xsize), *w = random_array((long)c * kk + 3), *y = random_array(ysize);
  float *e = malloc(sizeof(float) * (size_t)(xsize > ysize ? xsize : ysize) + 64);
  float *ws = workspace(slimj_depthwise_workspace(&s));
  char what[200];
  snprintf(what, sizeof what, "%s depthwise n=%d c=%d %dx%d k=%dx%d s=%d p=%d", isa->name, n, c, s.h, s.w, s.kh, s.kw,
           s.stride, s.pad);
  char name[240];
  /* forward, in two plane ranges */
  ref_depthwise(0, &s, n, x, w, e);
  slimj_depthwise_forward(isa, &s, 0, n * c / 2, x, w, y, ws);
  slimj_depthwise_forward(isa, &s, n * c / 2, n * c, x, w, y, ws);
  snprintf(name, sizeof name, "%s forward", what);
  compare(name, seed, e, y, ysize, 1e-5 * kk);
  /* backward data: dx pre-filled, accumulates */
  float *dx = random_array(xsize);
  memcpy(e, dx, sizeof(float) * (size_t)xsize);
  ref_depthwise(1, &s, n, e, w, y);
  slimj_depthwise_backward_data(isa, &s, 0, n * c, y, w, dx, ws);
  snprintf(name, sizeof name, "%s backward data", what);
  compare(name, seed, e, dx, xsize, 1e-5 * kk);
  /* backward weights: dw pre-filled, accumulates over images */
  float *dw = random_array((long)c * kk), *ew = malloc(sizeof(float) * (size_t)(c * kk));
  memcpy(ew, dw, sizeof(float) * (size_t)(c * kk));
  ref_depthwise(2, &s, n, x, ew, y);
  slimj_depthwise_backward_weights(isa, &s, n, 0, c / 2, x, y, dw, ws);
  slimj_depthwise_backward_weights(isa, &s, n, c / 2, c, x, y, dw, ws);
  snprintf(name, sizeof name, "%s backward weights", what);
  compare(name, seed, ew, dw, (long)c * kk, 1e-5 * sqrt((double)ysize / c) + 1e-5);
  free(x), free(w), free(y), free(e), free(ws), free(dx), free(dw), free(ew);
}

/* dw (rows ldw apart) += weight gradient; dx += input gradient of a 1x1 convolution (pointwise only). */
static void ref_conv_backward(const slimj_conv *s, int n, const float *x, const float *dy, const float *w, int ldw,
                              float *dw, float *dx) {
  int ho = slimj_conv_hout(s), wo = slimj_conv_wout(s), kk = s->kh * s->kw;
  for (int o = 0; o < s->cout; o++)
    for (int ci = 0; ci < s->cin; ci++)
      for (int t = 0; t < kk; t++) {
        double acc = 0;
        for (int i = 0; i < n; i++)
          for (int oy = 0; oy < ho; oy++)
            for (int ox = 0; ox < wo; ox++) {
              int iy = oy * s->stride + t / s->kw - s->pad, ix = ox * s->stride + t % s->kw - s->pad;
              if (iy >= 0 && iy < s->h && ix >= 0 && ix < s->w)
                acc += (double)dy[(((long)i * s->cout + o) * ho + oy) * wo + ox] *
                       x[(((long)i * s->cin + ci) * s->h + iy) * s->w + ix];
            }
        dw[(long)o * ldw + ci * kk + t] += (float)acc;
      }
  if (dx != NULL)
    for (int i = 0; i < n; i++)
      for (int ci = 0; ci < s->cin; ci++)
        for (int q = 0; q < ho * wo; q++) {
          double acc = 0;
          for (int o = 0; o < s->cout; o++)
            acc += (double)w[(long)o * ldw + ci] * dy[((long)i * s->cout + o) * ho * wo + q];
          dx[((long)i * s->cin + ci) * ho * wo + q] += (float)acc;
        }
}

/* Weight gradient in two ranges of output channels (and 1x1 backward data), into pre-filled outputs. */
static void check_conv_backward(const slimj_isa *isa, slimj_conv s, int n, int cinMax, int coutMax, uint64_t seed) {
  rng = seed;
  int pixels = slimj_conv_hout(&s) * slimj_conv_wout(&s), ldw = cinMax * s.kh * s.kw;
  int pointwise = s.kh == 1 && s.kw == 1 && s.stride == 1 && s.pad == 0;
  long xsize = (long)n * s.cin * s.h * s.w, ysize = (long)n * s.cout * pixels, wsize = (long)coutMax * ldw;
  float *x = random_array(xsize), *dy = random_array(ysize), *w = random_array(wsize);
  float *dw = random_array(wsize), *ew = malloc(sizeof(float) * (size_t)wsize);
  float *dx = random_array(xsize), *ex = malloc(sizeof(float) * (size_t)xsize);
  memcpy(ew, dw, sizeof(float) * (size_t)wsize);
  memcpy(ex, dx, sizeof(float) * (size_t)xsize);
  ref_conv_backward(&s, n, x, dy, w, ldw, ew, pointwise ? ex : NULL);
  float *ws = workspace(slimj_conv_backward_weights_workspace(&s, n));
  slimj_conv_backward_weights(isa, &s, n, 0, s.cout / 2, x, dy, dw, ldw, ws);
  slimj_conv_backward_weights(isa, &s, n, s.cout / 2, s.cout, x, dy, dw, ldw, ws);
  char what[200];
  snprintf(what, sizeof what, "%s conv backward n=%d cin=%d/%d %dx%d cout=%d/%d k=%dx%d s=%d p=%d", isa->name, n,
           s.cin, cinMax, s.h, s.w, s.cout, coutMax, s.kh, s.kw, s.stride, s.pad);
  compare(what, seed, ew, dw, wsize, 1e-4 * sqrt((double)n * pixels + 1.0));
  if (pointwise) {
    float *bws = workspace(slimj_pointwise_backward_data_workspace(isa, s.cin, s.cout, pixels));
    slimj_pointwise_backward_data(isa, s.cin, s.cout, pixels, n, dy, w, ldw, dx, bws);
    compare(what, seed + 1, ex, dx, xsize, 1e-4 * sqrt(s.cout + 1.0));
    free(bws);
  }
  free(x), free(dy), free(w), free(dw), free(ew), free(dx), free(ex), free(ws);
}

static void run(const slimj_isa *isa) {
  int before = failures, checksBefore = checks;
  static const int sizes[] = {1, 3, 7, 13, 17, 33, 67};
  static const int depths[] = {1, 8, 17, 67};
  static const float alphas[] = {1.0f, -0.7f, 2.5f}, betas[] = {0.0f, 1.0f, 0.5f};
  uint64_t seed = 1000;
  for (int t = 0; t < 4; t++)
    for (int mi = 0; mi < 7; mi++)
      for (int ni = 0; ni < 7; ni++)
        for (int ki = 0; ki < 4; ki++, seed++)
          check_sgemm(isa, t >> 1, t & 1, sizes[mi], sizes[ni], depths[ki], alphas[seed % 3], betas[(seed / 3) % 3],
                      seed);
  static const int large[][3] = {{130, 257, 67}, {67, 130, 300}, {250, 9, 520}, {7, 4200, 5}, {200, 300, 600}};
  for (int i = 0; i < 5; i++)
    for (int t = 0; t < 4; t++, seed++)
      check_sgemm(isa, t >> 1, t & 1, large[i][0], large[i][1], large[i][2], alphas[seed % 3], betas[seed % 3],
                  seed);
  check_sgemm(isa, 0, 0, 5, 7, 0, 1.5f, 0.5f, seed++);
  check_sgemm(isa, 1, 1, 5, 7, 0, 1.0f, 0.0f, seed++);

  /* conv: n, cin, h, w, cout, kh, kw, stride, pad, cinMax, coutMax */
  static const int convs[][11] = {
      {2, 3, 7, 7, 4, 3, 3, 1, 1, 5, 6},      {3, 5, 8, 9, 7, 1, 1, 1, 0, 5, 9},
      {1, 4, 9, 8, 5, 3, 3, 2, 1, 6, 5},      {2, 2, 11, 10, 3, 5, 5, 1, 2, 3, 4},
      {2, 3, 10, 11, 6, 5, 5, 2, 2, 3, 8},    {2, 6, 6, 5, 5, 3, 1, 1, 1, 8, 7},
      {3, 4, 7, 7, 5, 1, 1, 2, 0, 4, 6},      {1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1},
      {2, 40, 6, 7, 13, 3, 3, 1, 1, 48, 16},  {2, 20, 9, 9, 130, 1, 1, 1, 0, 24, 140},
      {1, 96, 8, 8, 70, 1, 1, 1, 0, 96, 72},  {2, 30, 12, 12, 20, 3, 3, 1, 1, 32, 20},
  };
  for (int i = 0; i < 12; i++, seed++) {
    const int *v = convs[i];
    slimj_conv s = {v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]};
    check_conv(isa, s, v[0], v[9], v[10], seed);
    check_conv_backward(isa, s, v[0], v[9], v[10], seed + 500);
  }
  /* depthwise: n, c, h, w, kh, kw, stride, pad */
  static const int dws[][8] = {
      {2, 3, 7, 7, 3, 3, 1, 1},  {2, 4, 8, 8, 3, 3, 2, 1},    {1, 5, 9, 11, 5, 5, 1, 2}, {3, 2, 10, 9, 5, 5, 2, 2},
      {2, 3, 6, 5, 3, 3, 1, 0},  {2, 3, 7, 6, 3, 3, 2, 0},    {1, 1, 1, 1, 1, 1, 1, 0},  {2, 3, 6, 7, 3, 1, 1, 1},
      {2, 2, 10, 11, 3, 3, 3, 1}, {3, 5, 33, 35, 3, 3, 1, 1}, {2, 2, 37, 37, 1, 1, 2, 0}, {2, 3, 40, 41, 3, 3, 2, 1},
  };
  for (int i = 0; i < 12; i++, seed++) {
    const int *v = dws[i];
    slimj_conv s = {v[1], v[2], v[3], v[1], v[4], v[5], v[6], v[7]};
    check_depthwise(isa, s, v[0], seed);
  }
  printf("%-8s %4d checks, %d failed\n", isa->name, checks - checksBefore, failures - before);
}

int main(void) {
  int supported = slimj_isa_supported();
  for (int i = 0; i < SLIMJ_ISA_COUNT; i++) {
    const slimj_isa *isa = slimj_isa_get(i);
    if (isa != NULL && (supported >> i & 1)) run(isa);
  }
  printf("%s: %d checks, %d failed\n", failures ? "FAILED" : "OK", checks, failures);
  return failures ? 1 : 0;
}
