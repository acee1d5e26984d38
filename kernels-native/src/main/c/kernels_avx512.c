/*
 * x86-64 AVX-512F primitives (16 floats per vector), chosen at load time over AVX2 when cpuid
 * reports AVX-512F (and the OS saves its registers). Same structure as kernels_avx2.c with twice
 * the lanes, twice the registers, and masked tails.
 */
#if defined(__x86_64__)
#include <immintrin.h>

#include "slimj_kernels.h"

#define AVX512 __attribute__((target("avx512f,avx2,fma")))

/* 12 x 32 tile: 24 accumulators, 2 vectors of B and 1 broadcast of A per step (27 of 32 registers). */
#define ROW_STEP(r)                              \
  do {                                           \
    __m512 a = _mm512_set1_ps(ap[r]);            \
    c##r##_0 = _mm512_fmadd_ps(a, b0, c##r##_0); \
    c##r##_1 = _mm512_fmadd_ps(a, b1, c##r##_1); \
  } while (0)

#define ROW_STORE(r)                                                                        \
  do {                                                                                      \
    float *row = c + (r) * ldc;                                                             \
    __m512 v0 = _mm512_mul_ps(va, c##r##_0), v1 = _mm512_mul_ps(va, c##r##_1);              \
    if (beta != 0.0f) {                                                                     \
      v0 = _mm512_fmadd_ps(vb, _mm512_loadu_ps(row), v0);                                   \
      v1 = _mm512_fmadd_ps(vb, _mm512_loadu_ps(row + 16), v1);                              \
    }                                                                                       \
    _mm512_storeu_ps(row, v0);                                                              \
    _mm512_storeu_ps(row + 16, v1);                                                         \
  } while (0)

AVX512 static void micro_12x32(int kc, const float *ap, const float *bp, float *c, long ldc, float alpha,
                               float beta) {
  __m512 c0_0 = _mm512_setzero_ps(), c0_1 = c0_0, c1_0 = c0_0, c1_1 = c0_0, c2_0 = c0_0, c2_1 = c0_0;
  __m512 c3_0 = c0_0, c3_1 = c0_0, c4_0 = c0_0, c4_1 = c0_0, c5_0 = c0_0, c5_1 = c0_0;
  __m512 c6_0 = c0_0, c6_1 = c0_0, c7_0 = c0_0, c7_1 = c0_0, c8_0 = c0_0, c8_1 = c0_0;
  __m512 c9_0 = c0_0, c9_1 = c0_0, c10_0 = c0_0, c10_1 = c0_0, c11_0 = c0_0, c11_1 = c0_0;
  for (int p = 0; p < kc; p++) {
    __m512 b0 = _mm512_loadu_ps(bp), b1 = _mm512_loadu_ps(bp + 16);
    ROW_STEP(0);
    ROW_STEP(1);
    ROW_STEP(2);
    ROW_STEP(3);
    ROW_STEP(4);
    ROW_STEP(5);
    ROW_STEP(6);
    ROW_STEP(7);
    ROW_STEP(8);
    ROW_STEP(9);
    ROW_STEP(10);
    ROW_STEP(11);
    ap += 12;
    bp += 32;
  }
  __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
  ROW_STORE(0);
  ROW_STORE(1);
  ROW_STORE(2);
  ROW_STORE(3);
  ROW_STORE(4);
  ROW_STORE(5);
  ROW_STORE(6);
  ROW_STORE(7);
  ROW_STORE(8);
  ROW_STORE(9);
  ROW_STORE(10);
  ROW_STORE(11);
}

AVX512 static void correlate_avx512(const float *in, const int *taps, const float *w, int count, float *out,
                                    long len) {
  long q = 0;
  for (; q + 64 <= len; q += 64) {
    __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    for (int t = 0; t < count; t++) {
      __m512 wv = _mm512_set1_ps(w[t]);
      const float *p = in + taps[t] + q;
      a0 = _mm512_fmadd_ps(wv, _mm512_loadu_ps(p), a0);
      a1 = _mm512_fmadd_ps(wv, _mm512_loadu_ps(p + 16), a1);
      a2 = _mm512_fmadd_ps(wv, _mm512_loadu_ps(p + 32), a2);
      a3 = _mm512_fmadd_ps(wv, _mm512_loadu_ps(p + 48), a3);
    }
    _mm512_storeu_ps(out + q, a0);
    _mm512_storeu_ps(out + q + 16, a1);
    _mm512_storeu_ps(out + q + 32, a2);
    _mm512_storeu_ps(out + q + 48, a3);
  }
  for (; q < len; q += 16) {
    __mmask16 m = len - q >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (len - q)) - 1);
    __m512 a0 = _mm512_setzero_ps();
    for (int t = 0; t < count; t++) {
      a0 = _mm512_fmadd_ps(_mm512_set1_ps(w[t]), _mm512_maskz_loadu_ps(m, in + taps[t] + q), a0);
    }
    _mm512_mask_storeu_ps(out + q, m, a0);
  }
}

AVX512 static float dot_avx512(const float *a, const float *b, long len) {
  __m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
  long q = 0;
  for (; q + 64 <= len; q += 64) {
    s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + q), _mm512_loadu_ps(b + q), s0);
    s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + q + 16), _mm512_loadu_ps(b + q + 16), s1);
    s2 = _mm512_fmadd_ps(_mm512_loadu_ps(a + q + 32), _mm512_loadu_ps(b + q + 32), s2);
    s3 = _mm512_fmadd_ps(_mm512_loadu_ps(a + q + 48), _mm512_loadu_ps(b + q + 48), s3);
  }
  for (; q < len; q += 16) {
    __mmask16 m = len - q >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (len - q)) - 1);
    s0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + q), _mm512_maskz_loadu_ps(m, b + q), s0);
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
}

/*
 * 4 x 6 long dot products: 24 accumulators, the 4 a vectors of a step loaded once, each b vector
 * loaded once and used four times (29 of 32 registers); masked loads for the last partial vector.
 */
#define DT_COL(j, LOAD)                         \
  do {                                          \
    __m512 v = LOAD(b##j + q);                  \
    s0_##j = _mm512_fmadd_ps(a0, v, s0_##j);    \
    s1_##j = _mm512_fmadd_ps(a1, v, s1_##j);    \
    s2_##j = _mm512_fmadd_ps(a2, v, s2_##j);    \
    s3_##j = _mm512_fmadd_ps(a3, v, s3_##j);    \
  } while (0)

#define DT_STEP(LOAD)                                                              \
  do {                                                                             \
    __m512 a0 = LOAD(ap0 + q), a1 = LOAD(ap1 + q), a2 = LOAD(ap2 + q), a3 = LOAD(ap3 + q); \
    DT_COL(0, LOAD);                                                               \
    DT_COL(1, LOAD);                                                               \
    DT_COL(2, LOAD);                                                               \
    DT_COL(3, LOAD);                                                               \
    DT_COL(4, LOAD);                                                               \
    DT_COL(5, LOAD);                                                               \
  } while (0)

#define DT_FULL(p) _mm512_loadu_ps(p)
#define DT_TAIL(p) _mm512_maskz_loadu_ps(m, p)
#define DT_OUT(i, j) \
  if ((i) < ra && (j) < rb) out[(i) * ldo + (j)] += _mm512_reduce_add_ps(s##i##_##j)
#define DT_OUT_ROW(i) \
  do {                \
    DT_OUT(i, 0);     \
    DT_OUT(i, 1);     \
    DT_OUT(i, 2);     \
    DT_OUT(i, 3);     \
    DT_OUT(i, 4);     \
    DT_OUT(i, 5);     \
  } while (0)

AVX512 static void dot_tile_avx512(const float *a, const int *arow, long sa, const float *b, const int *brow, long sb,
                                   int segs, long len, float *out, long ldo, int ra, int rb) {
  __m512 s0_0 = _mm512_setzero_ps(), s0_1 = s0_0, s0_2 = s0_0, s0_3 = s0_0, s0_4 = s0_0, s0_5 = s0_0;
  __m512 s1_0 = s0_0, s1_1 = s0_0, s1_2 = s0_0, s1_3 = s0_0, s1_4 = s0_0, s1_5 = s0_0;
  __m512 s2_0 = s0_0, s2_1 = s0_0, s2_2 = s0_0, s2_3 = s0_0, s2_4 = s0_0, s2_5 = s0_0;
  __m512 s3_0 = s0_0, s3_1 = s0_0, s3_2 = s0_0, s3_3 = s0_0, s3_4 = s0_0, s3_5 = s0_0;
  const long full = len & ~15L;
  const __mmask16 m = (__mmask16)((1u << (len - full)) - 1);
  for (int g = 0; g < segs; g++) {
    const float *ap0 = a + arow[0] + g * sa, *ap1 = a + arow[1] + g * sa;
    const float *ap2 = a + arow[2] + g * sa, *ap3 = a + arow[3] + g * sa;
    const float *b0 = b + brow[0] + g * sb, *b1 = b + brow[1] + g * sb, *b2 = b + brow[2] + g * sb;
    const float *b3 = b + brow[3] + g * sb, *b4 = b + brow[4] + g * sb, *b5 = b + brow[5] + g * sb;
    long q = 0;
    for (; q < full; q += 16) {
      DT_STEP(DT_FULL);
    }
    if (q < len) {
      DT_STEP(DT_TAIL);
    }
  }
  DT_OUT_ROW(0);
  DT_OUT_ROW(1);
  DT_OUT_ROW(2);
  DT_OUT_ROW(3);
}

AVX512 static void copy_panel_avx512(const float *src, long ld, int rows, float *dst) {
  for (int p = 0; p < rows; p++) {
    _mm512_storeu_ps(dst, _mm512_loadu_ps(src));
    _mm512_storeu_ps(dst + 16, _mm512_loadu_ps(src + 16));
    src += ld;
    dst += 32;
  }
}

const slimj_isa slimj_isa_avx512 = {"avx512", 12, 32, micro_12x32, correlate_avx512, dot_avx512,
                                    dot_tile_avx512, copy_panel_avx512};

#endif
