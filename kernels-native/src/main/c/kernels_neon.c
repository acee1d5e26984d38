/*
 * AArch64 Advanced SIMD (NEON) primitives, 4 floats per vector. NEON is part of the AArch64
 * baseline, so no target attribute is needed. Tested under qemu by scripts/test-neon.sh.
 */
#if defined(__aarch64__)
#include <arm_neon.h>

#include "slimj_kernels.h"

/*
 * 8 x 12 tile: 24 accumulators, 3 vectors of B and 2 of A per step (29 of 32 registers); each
 * row multiplies B by one lane of A.
 */
#define ROW_STEP(r, av, lane)                          \
  do {                                                 \
    c##r##_0 = vfmaq_laneq_f32(c##r##_0, b0, av, lane); \
    c##r##_1 = vfmaq_laneq_f32(c##r##_1, b1, av, lane); \
    c##r##_2 = vfmaq_laneq_f32(c##r##_2, b2, av, lane); \
  } while (0)

#define STORE(ptr, acc)                                  \
  do {                                                   \
    float32x4_t v = vmulq_n_f32(acc, alpha);             \
    if (beta != 0.0f) {                                  \
      v = vfmaq_n_f32(v, vld1q_f32(ptr), beta);          \
    }                                                    \
    vst1q_f32(ptr, v);                                   \
  } while (0)

#define ROW_STORE(r)                 \
  do {                               \
    float *row = c + (r) * ldc;      \
    STORE(row, c##r##_0);            \
    STORE(row + 4, c##r##_1);        \
    STORE(row + 8, c##r##_2);        \
  } while (0)

static void micro_8x12(int kc, const float *ap, const float *bp, float *c, long ldc, float alpha, float beta) {
  float32x4_t c0_0 = vdupq_n_f32(0.0f), c0_1 = c0_0, c0_2 = c0_0, c1_0 = c0_0, c1_1 = c0_0, c1_2 = c0_0;
  float32x4_t c2_0 = c0_0, c2_1 = c0_0, c2_2 = c0_0, c3_0 = c0_0, c3_1 = c0_0, c3_2 = c0_0;
  float32x4_t c4_0 = c0_0, c4_1 = c0_0, c4_2 = c0_0, c5_0 = c0_0, c5_1 = c0_0, c5_2 = c0_0;
  float32x4_t c6_0 = c0_0, c6_1 = c0_0, c6_2 = c0_0, c7_0 = c0_0, c7_1 = c0_0, c7_2 = c0_0;
  for (int p = 0; p < kc; p++) {
    float32x4_t b0 = vld1q_f32(bp), b1 = vld1q_f32(bp + 4), b2 = vld1q_f32(bp + 8);
    float32x4_t a0 = vld1q_f32(ap), a1 = vld1q_f32(ap + 4);
    ROW_STEP(0, a0, 0);
    ROW_STEP(1, a0, 1);
    ROW_STEP(2, a0, 2);
    ROW_STEP(3, a0, 3);
    ROW_STEP(4, a1, 0);
    ROW_STEP(5, a1, 1);
    ROW_STEP(6, a1, 2);
    ROW_STEP(7, a1, 3);
    ap += 8;
    bp += 12;
  }
  ROW_STORE(0);
  ROW_STORE(1);
  ROW_STORE(2);
  ROW_STORE(3);
  ROW_STORE(4);
  ROW_STORE(5);
  ROW_STORE(6);
  ROW_STORE(7);
}

static void correlate_neon(const float *in, const int *taps, const float *w, int count, float *out, long len) {
  long q = 0;
  for (; q + 16 <= len; q += 16) {
    float32x4_t a0 = vdupq_n_f32(0.0f), a1 = a0, a2 = a0, a3 = a0;
    for (int t = 0; t < count; t++) {
      const float *p = in + taps[t] + q;
      a0 = vfmaq_n_f32(a0, vld1q_f32(p), w[t]);
      a1 = vfmaq_n_f32(a1, vld1q_f32(p + 4), w[t]);
      a2 = vfmaq_n_f32(a2, vld1q_f32(p + 8), w[t]);
      a3 = vfmaq_n_f32(a3, vld1q_f32(p + 12), w[t]);
    }
    vst1q_f32(out + q, a0);
    vst1q_f32(out + q + 4, a1);
    vst1q_f32(out + q + 8, a2);
    vst1q_f32(out + q + 12, a3);
  }
  for (; q + 4 <= len; q += 4) {
    float32x4_t a0 = vdupq_n_f32(0.0f);
    for (int t = 0; t < count; t++) {
      a0 = vfmaq_n_f32(a0, vld1q_f32(in + taps[t] + q), w[t]);
    }
    vst1q_f32(out + q, a0);
  }
  for (; q < len; q++) {
    float s = 0.0f;
    for (int t = 0; t < count; t++) {
      s = __builtin_fmaf(w[t], in[taps[t] + q], s);
    }
    out[q] = s;
  }
}

static float dot_neon(const float *a, const float *b, long len) {
  float32x4_t s0 = vdupq_n_f32(0.0f), s1 = s0, s2 = s0, s3 = s0;
  long q = 0;
  for (; q + 16 <= len; q += 16) {
    s0 = vfmaq_f32(s0, vld1q_f32(a + q), vld1q_f32(b + q));
    s1 = vfmaq_f32(s1, vld1q_f32(a + q + 4), vld1q_f32(b + q + 4));
    s2 = vfmaq_f32(s2, vld1q_f32(a + q + 8), vld1q_f32(b + q + 8));
    s3 = vfmaq_f32(s3, vld1q_f32(a + q + 12), vld1q_f32(b + q + 12));
  }
  for (; q + 4 <= len; q += 4) {
    s0 = vfmaq_f32(s0, vld1q_f32(a + q), vld1q_f32(b + q));
  }
  float s = vaddvq_f32(vaddq_f32(vaddq_f32(s0, s1), vaddq_f32(s2, s3)));
  for (; q < len; q++) {
    s = __builtin_fmaf(a[q], b[q], s);
  }
  return s;
}

const slimj_isa slimj_isa_neon = {"neon", 8, 12, micro_8x12, correlate_neon, dot_neon,
                                  slimj_dot_tile_generic, NULL};

#endif
