/*
 * x86-64 AVX2 + FMA primitives (8 floats per vector). Each function carries its own target
 * attribute, so the library itself is built for the x86-64 baseline and loads on any CPU; the
 * Java loader selects this table only when cpuid reports AVX2 and FMA.
 */
#if defined(__x86_64__)
#include <immintrin.h>

#include "slimj_kernels.h"

#define AVX2 __attribute__((target("avx2,fma")))

/* 6 x 16 tile: 12 accumulators, 2 vectors of B and 1 broadcast of A per step (15 of 16 registers). */
#define ROW_STEP(r)                              \
  do {                                           \
    __m256 a = _mm256_broadcast_ss(ap + (r));    \
    c##r##0 = _mm256_fmadd_ps(a, b0, c##r##0);   \
    c##r##1 = _mm256_fmadd_ps(a, b1, c##r##1);   \
  } while (0)

#define ROW_STORE(r)                                                                        \
  do {                                                                                      \
    float *row = c + (r) * ldc;                                                             \
    __m256 v0 = _mm256_mul_ps(va, c##r##0), v1 = _mm256_mul_ps(va, c##r##1);                \
    if (beta != 0.0f) {                                                                     \
      v0 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(row), v0);                                   \
      v1 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(row + 8), v1);                               \
    }                                                                                       \
    _mm256_storeu_ps(row, v0);                                                              \
    _mm256_storeu_ps(row + 8, v1);                                                          \
  } while (0)

AVX2 static void micro_6x16(int kc, const float *ap, const float *bp, float *c, long ldc, float alpha,
                            float beta) {
  __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (int p = 0; p < kc; p++) {
    __m256 b0 = _mm256_loadu_ps(bp), b1 = _mm256_loadu_ps(bp + 8);
    ROW_STEP(0);
    ROW_STEP(1);
    ROW_STEP(2);
    ROW_STEP(3);
    ROW_STEP(4);
    ROW_STEP(5);
    ap += 6;
    bp += 16;
  }
  __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
  ROW_STORE(0);
  ROW_STORE(1);
  ROW_STORE(2);
  ROW_STORE(3);
  ROW_STORE(4);
  ROW_STORE(5);
}

AVX2 static void correlate_avx2(const float *in, const int *taps, const float *w, int count, float *out,
                                long len) {
  long q = 0;
  for (; q + 32 <= len; q += 32) {
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    for (int t = 0; t < count; t++) {
      __m256 wv = _mm256_set1_ps(w[t]);
      const float *p = in + taps[t] + q;
      a0 = _mm256_fmadd_ps(wv, _mm256_loadu_ps(p), a0);
      a1 = _mm256_fmadd_ps(wv, _mm256_loadu_ps(p + 8), a1);
      a2 = _mm256_fmadd_ps(wv, _mm256_loadu_ps(p + 16), a2);
      a3 = _mm256_fmadd_ps(wv, _mm256_loadu_ps(p + 24), a3);
    }
    _mm256_storeu_ps(out + q, a0);
    _mm256_storeu_ps(out + q + 8, a1);
    _mm256_storeu_ps(out + q + 16, a2);
    _mm256_storeu_ps(out + q + 24, a3);
  }
  for (; q + 8 <= len; q += 8) {
    __m256 a0 = _mm256_setzero_ps();
    for (int t = 0; t < count; t++) {
      a0 = _mm256_fmadd_ps(_mm256_set1_ps(w[t]), _mm256_loadu_ps(in + taps[t] + q), a0);
    }
    _mm256_storeu_ps(out + q, a0);
  }
  for (; q < len; q++) {
    __m128 s = _mm_setzero_ps();
    for (int t = 0; t < count; t++) {
      s = _mm_fmadd_ss(_mm_set_ss(w[t]), _mm_load_ss(in + taps[t] + q), s);
    }
    out[q] = _mm_cvtss_f32(s);
  }
}

AVX2 static float dot_avx2(const float *a, const float *b, long len) {
  __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
  long q = 0;
  for (; q + 32 <= len; q += 32) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + q), _mm256_loadu_ps(b + q), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + q + 8), _mm256_loadu_ps(b + q + 8), s1);
    s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + q + 16), _mm256_loadu_ps(b + q + 16), s2);
    s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + q + 24), _mm256_loadu_ps(b + q + 24), s3);
  }
  for (; q + 8 <= len; q += 8) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + q), _mm256_loadu_ps(b + q), s0);
  }
  __m256 s = _mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3));
  __m128 h = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
  h = _mm_add_ps(h, _mm_movehl_ps(h, h));
  h = _mm_add_ss(h, _mm_movehdup_ps(h));
  for (; q < len; q++) {
    h = _mm_fmadd_ss(_mm_load_ss(a + q), _mm_load_ss(b + q), h);
  }
  return _mm_cvtss_f32(h);
}

const slimj_isa slimj_isa_avx2 = {"avx2", 6, 16, micro_6x16, correlate_avx2, dot_avx2,
                                  slimj_dot_tile_generic, NULL};

#endif
