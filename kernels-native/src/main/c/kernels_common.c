/*
 * Portable drivers shared by every instruction set: packing, cache blocking, the implicit im2col of
 * dense convolutions and the phase-split planes of depthwise convolutions. Compiled for the
 * baseline of the target (no -mavx2): only the tables in kernels_<isa>.c use wider instructions,
 * each function behind its own target attribute.
 *
 * Determinism: every element of C is summed over k in the same order by the same micro-kernel
 * arithmetic (edge tiles merge with the same fused multiply-add as full tiles), so results do not
 * depend on how the caller splits C between threads.
 */
#include "slimj_kernels.h"

#include <math.h>
#include <string.h>

static inline long round_up(long v, long m) { return (v + m - 1) / m * m; }
static inline int min_int(int a, int b) { return a < b ? a : b; }

/* Rows of A per block (kept in L2) and columns of B per block (kept in L3). */
static int block_m(const slimj_isa *isa) { return isa->mr * (isa->mr >= 12 ? 16 : 32); }
static int block_n(const slimj_isa *isa) { return isa->nr * 128; }

/* Floats of slack after every workspace region, so whole-vector reads past a plane stay inside. */
#define SLACK 64

/* ------------------------------------------------------------------ generic instruction set */

/* c = alpha * acc + beta * c over an rows x cols tile (beta 0: c is not read). */
static void merge(const float *tile, int ldt, int rows, int cols, float *c, long ldc, float alpha, float beta) {
  for (int i = 0; i < rows; i++) {
    for (int j = 0; j < cols; j++) {
      float v = alpha * tile[i * ldt + j];
      c[i * ldc + j] = beta == 0.0f ? v : fmaf(beta, c[i * ldc + j], v);
    }
  }
}

static void micro_generic(int kc, const float *ap, const float *bp, float *c, long ldc, float alpha, float beta) {
  float acc[4 * 8] = {0};
  for (int p = 0; p < kc; p++) {
    for (int i = 0; i < 4; i++) {
      float a = ap[p * 4 + i];
      for (int j = 0; j < 8; j++) {
        acc[i * 8 + j] = fmaf(a, bp[p * 8 + j], acc[i * 8 + j]);
      }
    }
  }
  merge(acc, 8, 4, 8, c, ldc, alpha, beta);
}

static void correlate_generic(const float *in, const int *taps, const float *w, int count, float *out, long len) {
  for (long q = 0; q < len; q++) {
    float s = 0.0f;
    for (int t = 0; t < count; t++) {
      s = fmaf(w[t], in[taps[t] + q], s);
    }
    out[q] = s;
  }
}

static float dot_generic(const float *a, const float *b, long len) {
  float s = 0.0f;
  for (long q = 0; q < len; q++) {
    s = fmaf(a[q], b[q], s);
  }
  return s;
}

void slimj_dot_tile_generic(const float *a, const int *arow, long sa, const float *b, const int *brow, long sb,
                            int segs, long len, float *out, long ldo, int ra, int rb) {
  for (int i = 0; i < ra; i++) {
    for (int j = 0; j < rb; j++) {
      float s = 0.0f;
      for (int g = 0; g < segs; g++) {
        const float *ap = a + arow[i] + g * sa, *bp = b + brow[j] + g * sb;
        for (long q = 0; q < len; q++) {
          s = fmaf(ap[q], bp[q], s);
        }
      }
      out[i * ldo + j] += s;
    }
  }
}

const slimj_isa slimj_isa_generic = {"generic", 4, 8, micro_generic, correlate_generic, dot_generic,
                                     slimj_dot_tile_generic, NULL};

const slimj_isa *slimj_isa_get(int isa) {
  switch (isa) {
    case SLIMJ_ISA_GENERIC:
      return &slimj_isa_generic;
#if defined(__x86_64__)
    case SLIMJ_ISA_AVX2:
      return &slimj_isa_avx2;
    case SLIMJ_ISA_AVX512:
      return &slimj_isa_avx512;
#endif
#if defined(__aarch64__)
    case SLIMJ_ISA_NEON:
      return &slimj_isa_neon;
#endif
    default:
      return NULL;
  }
}

int slimj_isa_supported(void) {
  int bits = 1 << SLIMJ_ISA_GENERIC;
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    bits |= 1 << SLIMJ_ISA_AVX2;
    if (__builtin_cpu_supports("avx512f")) {
      bits |= 1 << SLIMJ_ISA_AVX512;
    }
  }
#endif
#if defined(__aarch64__)
  bits |= 1 << SLIMJ_ISA_NEON; /* Advanced SIMD is part of the AArch64 baseline */
#endif
  return bits;
}

/* ------------------------------------------------------------------ packing */

/*
 * A packer writes `count` rows of op(A) (or columns of op(B)) starting at `first`, steps
 * [p0, p0 + kc), as panels of `panel` rows (columns): panel q holds, for each step p, its `panel`
 * values at dst[q * panel * kc + p * panel + r], zero past `count`.
 */
typedef void (*packer)(const void *src, int first, int count, int p0, int kc, int panel, float *dst);

/* A plain row-major matrix, op(M)[r][p] (trans: stored p-major). */
typedef struct {
  const float *m;
  long ld;
  int trans;
  /* optional: copies `rows` rows of a whole panel (slimj_isa.copy_panel); NULL: memcpy per row */
  void (*copy)(const float *src, long ld, int rows, float *dst);
} plain_matrix;

/* Rows of op(A): A is m x k (or k x m if trans). */
static void pack_rows_plain(const void *src, int first, int count, int p0, int kc, int panel, float *dst) {
  const plain_matrix *s = src;
  for (int q = 0; q < count; q += panel) {
    int rows = min_int(panel, count - q);
    float *d = dst + (long)q * kc;
    if (!s->trans) {
      for (int r = 0; r < rows; r++) {
        const float *row = s->m + (long)(first + q + r) * s->ld + p0;
        for (int p = 0; p < kc; p++) {
          d[(long)p * panel + r] = row[p];
        }
      }
    } else {
      for (int p = 0; p < kc; p++) {
        const float *row = s->m + (long)(p0 + p) * s->ld + first + q;
        for (int r = 0; r < rows; r++) {
          d[(long)p * panel + r] = row[r];
        }
      }
    }
    for (int p = 0; rows < panel && p < kc; p++) {
      memset(d + (long)p * panel + rows, 0, sizeof(float) * (size_t)(panel - rows));
    }
  }
}

/* Columns of op(B): B is k x n (or n x k if trans). */
static void pack_cols_plain(const void *src, int first, int count, int p0, int kc, int panel, float *dst) {
  const plain_matrix *s = src;
  if (!s->trans && s->copy != NULL && count >= panel) {
    /* row by row across all whole panels, so each row of B is read front to back (prefetchable) */
    int whole = count / panel;
    for (int p = 0; p < kc; p++) {
      const float *row = s->m + (long)(p0 + p) * s->ld + first;
      for (int q = 0; q < whole; q++) {
        s->copy(row + (long)q * panel, 0, 1, dst + (long)q * panel * kc + (long)p * panel);
      }
    }
    if (whole * panel == count) {
      return;
    }
    first += whole * panel;
    count -= whole * panel;
    dst += (long)whole * panel * kc;
  }
  for (int q = 0; q < count; q += panel) {
    int cols = min_int(panel, count - q);
    float *d = dst + (long)q * kc;
    if (!s->trans && s->copy != NULL && cols == panel) {
      s->copy(s->m + (long)p0 * s->ld + first + q, s->ld, kc, d);
    } else if (!s->trans) {
      for (int p = 0; p < kc; p++) {
        memcpy(d + (long)p * panel, s->m + (long)(p0 + p) * s->ld + first + q, sizeof(float) * (size_t)cols);
      }
    } else {
      for (int j = 0; j < cols; j++) {
        const float *col = s->m + (long)(first + q + j) * s->ld + p0;
        for (int p = 0; p < kc; p++) {
          d[(long)p * panel + j] = col[p];
        }
      }
    }
    for (int p = 0; cols < panel && p < kc; p++) {
      memset(d + (long)p * panel + cols, 0, sizeof(float) * (size_t)(panel - cols));
    }
  }
}

/*
 * An im2col matrix never written out: element (p, j) is base[rows[p] + cols[j]]. Columns whose
 * offsets follow each other are copied as one run.
 */
typedef struct {
  const float *base;
  const int *rows;
  const int *cols;
} gathered_matrix;

static void pack_cols_gathered(const void *src, int first, int count, int p0, int kc, int panel, float *dst) {
  const gathered_matrix *s = src;
  int runStart[SLIMJ_MAX_NR], runLen[SLIMJ_MAX_NR], runOff[SLIMJ_MAX_NR];
  for (int q = 0; q < count; q += panel) {
    int cols = min_int(panel, count - q);
    const int *co = s->cols + first + q;
    int runs = 0;
    for (int j = 0; j < cols; j++) {
      if (j > 0 && co[j] == co[j - 1] + 1) {
        runLen[runs - 1]++;
      } else {
        runStart[runs] = j;
        runLen[runs] = 1;
        runOff[runs] = co[j];
        runs++;
      }
    }
    float *d = dst + (long)q * kc;
    for (int p = 0; p < kc; p++) {
      const float *row = s->base + s->rows[p0 + p];
      float *dp = d + (long)p * panel;
      for (int r = 0; r < runs; r++) {
        float *to = dp + runStart[r];
        const float *from = row + runOff[r];
        for (int j = 0; j < runLen[r]; j++) { /* runs are short: no memcpy call */
          to[j] = from[j];
        }
      }
      if (cols < panel) {
        memset(dp + cols, 0, sizeof(float) * (size_t)(panel - cols));
      }
    }
  }
}

/* ------------------------------------------------------------------ blocked GEMM */

/*
 * C (m x n, rows ldc apart) = alpha * op(A) * op(B) + beta * C for k >= 1. A comes either from
 * packA/asrc, or already packed whole (`apacked`: block of steps [p0, p0 + KC) at p0 *
 * round_up(m, mr), panels as a packer writes them). ws holds the packed blocks.
 */
static void gemm_blocked(const slimj_isa *isa, int m, int n, int k, float alpha, float beta, packer packA,
                         const void *asrc, const float *apacked, packer packB, const void *bsrc, float *c,
                         long ldc, float *ws) {
  const int mr = isa->mr, nr = isa->nr;
  const int mcMax = block_m(isa), ncMax = block_n(isa);
  const long mPadded = round_up(m, mr);
  float *bufB = ws;
  float *bufA = ws + round_up(round_up(min_int(n, ncMax), nr) * SLIMJ_KC, 16);
  float tile[SLIMJ_MAX_MR * SLIMJ_MAX_NR];
  for (int jc = 0; jc < n; jc += ncMax) {
    int nc = min_int(ncMax, n - jc);
    for (int pc = 0; pc < k; pc += SLIMJ_KC) {
      int kc = min_int(SLIMJ_KC, k - pc);
      float b = pc == 0 ? beta : 1.0f;
      packB(bsrc, jc, nc, pc, kc, nr, bufB);
      for (int ic = 0; ic < m; ic += mcMax) {
        int mc = min_int(mcMax, m - ic);
        const float *ap;
        if (apacked != NULL) {
          ap = apacked + (long)pc * mPadded + (long)ic * kc;
        } else {
          packA(asrc, ic, mc, pc, kc, mr, bufA);
          ap = bufA;
        }
        for (int jr = 0; jr < nc; jr += nr) {
          int cols = min_int(nr, nc - jr);
          const float *bp = bufB + (long)jr * kc;
          for (int ir = 0; ir < mc; ir += mr) {
            int rows = min_int(mr, mc - ir);
            float *cp = c + (long)(ic + ir) * ldc + jc + jr;
            if (rows == mr && cols == nr) {
              isa->micro(kc, ap + (long)ir * kc, bp, cp, ldc, alpha, b);
            } else {
              isa->micro(kc, ap + (long)ir * kc, bp, tile, nr, 1.0f, 0.0f);
              merge(tile, nr, rows, cols, cp, ldc, alpha, b);
            }
          }
        }
      }
    }
  }
}

static size_t gemm_workspace(const slimj_isa *isa, int m, int n) {
  long b = round_up(round_up(min_int(n, block_n(isa)), isa->nr) * SLIMJ_KC, 16);
  long a = round_up(round_up(min_int(m, block_m(isa)), isa->mr) * SLIMJ_KC, 16);
  return (size_t)(a + b + SLACK);
}

size_t slimj_sgemm_workspace(const slimj_isa *isa, int m, int n, int k) {
  (void)k;
  return gemm_workspace(isa, m < 1 ? 1 : m, n < 1 ? 1 : n);
}

void slimj_sgemm(const slimj_isa *isa, int transA, int transB, int m, int n, int k, float alpha,
                 const float *a, long lda, const float *b, long ldb, float beta, float *c, long ldc,
                 float *ws) {
  if (m <= 0 || n <= 0) {
    return;
  }
  if (k <= 0) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        c[(long)i * ldc + j] = beta == 0.0f ? 0.0f : beta * c[(long)i * ldc + j];
      }
    }
    return;
  }
  plain_matrix as = {a, lda, transA, NULL};
  plain_matrix bs = {b, ldb, transB, isa->copy_panel};
  gemm_blocked(isa, m, n, k, alpha, beta, pack_rows_plain, &as, NULL, pack_cols_plain, &bs, c, ldc, ws);
}

/* ------------------------------------------------------------------ phase-split planes */

/*
 * A plane zero-padded by `pad` and split into stride x stride phases: phase (ry, rx) holds the
 * padded pixels (s*a + ry, s*b + rx) at a*pitch + b. Tap (ky, kx) of output (oy, ox) then reads
 * phase (ky % s, kx % s) at (oy + ky / s, ox + kx / s): every tap is a contiguous run in ox.
 */
typedef struct {
  int s, rows, pitch;
  long phase, size;
} phases;

static phases phases_of(const slimj_conv *c) {
  phases g;
  g.s = c->stride;
  g.rows = (c->h + 2 * c->pad + g.s - 1) / g.s;
  g.pitch = (c->w + 2 * c->pad + g.s - 1) / g.s;
  g.phase = (long)g.rows * g.pitch;
  g.size = g.phase * g.s * g.s;
  return g;
}

static long tap_offset(const phases *g, int ky, int kx) {
  return ((long)(ky % g->s) * g->s + kx % g->s) * g->phase + (long)(ky / g->s) * g->pitch + kx / g->s;
}

/*
 * Walks the input row iy of a plane in phase order: calls visit(phaseRow, ix0, b0, count) for each
 * column phase rx, meaning input columns ix0 + t*s (t < count) sit at phaseRow[b0 + t].
 */
#define FOR_EACH_PHASE_RUN(c, g, iy, base, BODY)                                 \
  do {                                                                          \
    const int s_ = (g)->s, y_ = (iy) + (c)->pad;                                \
    float *rowBase_ = (base) + (long)(y_ % s_) * s_ * (g)->phase + (long)(y_ / s_) * (g)->pitch; \
    for (int rx = 0; rx < s_; rx++) {                                           \
      int ix0 = ((rx - (c)->pad) % s_ + s_) % s_;                               \
      if (ix0 >= (c)->w) continue;                                              \
      int count = ((c)->w - ix0 + s_ - 1) / s_;                                 \
      float *phaseRow = rowBase_ + (long)rx * (g)->phase + (ix0 + (c)->pad) / s_; \
      BODY                                                                      \
    }                                                                           \
  } while (0)

/* Writes plane x (h x w) split into phases at dst, zeros elsewhere, and SLACK zeros after it. */
static void split_plane(const slimj_conv *c, const phases *g, const float *x, float *dst) {
  memset(dst, 0, sizeof(float) * (size_t)(g->size + g->pitch + SLACK));
  const int s = g->s;
  for (int iy = 0; iy < c->h; iy++) {
    const float *row = x + (long)iy * c->w;
    if (s == 1) {
      memcpy(dst + (long)(iy + c->pad) * g->pitch + c->pad, row, sizeof(float) * (size_t)c->w);
      continue;
    }
    FOR_EACH_PHASE_RUN(c, g, iy, dst, {
      const float *in = row + ix0;
      for (int t = 0; t < count; t++) {
        phaseRow[t] = in[(long)t * s];
      }
    });
  }
}

/* dx (h x w) += the padded plane held in phases at src, without its padding. */
static void add_plane(const slimj_conv *c, const phases *g, float *src, float *dx) {
  const int s = g->s;
  for (int iy = 0; iy < c->h; iy++) {
    float *row = dx + (long)iy * c->w;
    if (s == 1) {
      const float *in = src + (long)(iy + c->pad) * g->pitch + c->pad;
      for (int ix = 0; ix < c->w; ix++) {
        row[ix] += in[ix];
      }
      continue;
    }
    FOR_EACH_PHASE_RUN(c, g, iy, src, {
      float *out = row + ix0;
      for (int t = 0; t < count; t++) {
        out[(long)t * s] += phaseRow[t];
      }
    });
  }
}

/* ------------------------------------------------------------------ convolution forward */

static int is_pointwise(const slimj_conv *s) { return s->kh == 1 && s->kw == 1 && s->stride == 1 && s->pad == 0; }

/* Region sizes (floats) of the convolution workspace, in order. */
typedef struct {
  long weights, gemm, planes, rows, cols;
} conv_layout;

static conv_layout conv_layout_of(const slimj_isa *isa, const slimj_conv *s) {
  conv_layout l;
  long depth = (long)s->cin * s->kh * s->kw;
  int pixels = slimj_conv_hout(s) * slimj_conv_wout(s);
  phases g = phases_of(s);
  l.weights = round_up(round_up(s->cout, isa->mr) * depth, 16);
  l.gemm = round_up((long)gemm_workspace(isa, s->cout, pixels), 16);
  l.planes = is_pointwise(s) ? 0 : round_up(s->cin * g.size + g.pitch + SLACK, 16);
  l.rows = round_up(depth, 16);
  l.cols = round_up(pixels, 16);
  return l;
}

size_t slimj_conv_forward_workspace(const slimj_isa *isa, const slimj_conv *s) {
  conv_layout l = conv_layout_of(isa, s);
  return (size_t)(l.weights + l.gemm + l.planes + l.rows + l.cols);
}

void slimj_conv_forward(const slimj_isa *isa, const slimj_conv *s, int images, int p0, int p1,
                        const float *x, const float *w, long ldw, float *y, float *ws) {
  if (images <= 0 || p1 <= p0) {
    return;
  }
  const int depth = s->cin * s->kh * s->kw;
  const int hout = slimj_conv_hout(s), wout = slimj_conv_wout(s), pixels = hout * wout;
  const long inPlane = (long)s->h * s->w, inImage = inPlane * s->cin, outImage = (long)pixels * s->cout;
  conv_layout l = conv_layout_of(isa, s);
  float *weights = ws;
  float *gemmWs = weights + l.weights;
  float *planes = gemmWs + l.gemm;
  int *rows = (int *)(planes + l.planes);
  int *cols = (int *)(planes + l.planes + l.rows);

  /* W packed once for all images: block of steps [pc, pc + KC) at pc * round_up(cout, mr) */
  plain_matrix wm = {w, ldw, 0, NULL};
  long mPadded = round_up(s->cout, isa->mr);
  for (int pc = 0; pc < depth; pc += SLIMJ_KC) {
    pack_rows_plain(&wm, 0, s->cout, pc, min_int(SLIMJ_KC, depth - pc), isa->mr, weights + (long)pc * mPadded);
  }

  const int pointwise = is_pointwise(s);
  phases g = phases_of(s);
  for (int p = 0; p < depth; p++) {
    int ci = p / (s->kh * s->kw), r = p % (s->kh * s->kw);
    rows[p] = pointwise ? (int)(p * inPlane) : (int)(ci * g.size + tap_offset(&g, r / s->kw, r % s->kw));
  }
  for (int j = 0; j < pixels; j++) {
    cols[j] = pointwise ? j : (j / wout) * g.pitch + j % wout;
  }

  for (int i = 0; i < images; i++) {
    const float *xi = x + i * inImage;
    if (!pointwise) {
      for (int ci = 0; ci < s->cin; ci++) {
        split_plane(s, &g, xi + ci * inPlane, planes + ci * g.size);
      }
    }
    gathered_matrix col = {pointwise ? xi : planes, rows, cols + p0};
    gemm_blocked(isa, s->cout, p1 - p0, depth, 1.0f, 0.0f, NULL, NULL, weights, pack_cols_gathered, &col,
                 y + i * outImage + p0, pixels, gemmWs);
  }
}

/* ------------------------------------------------------------------ convolution backward */

size_t slimj_pointwise_backward_data_workspace(const slimj_isa *isa, int cin, int cout, int pixels) {
  long weights = round_up(round_up(cin < 1 ? 1 : cin, isa->mr) * (cout < 1 ? 1 : cout), 16);
  return (size_t)(weights + (long)gemm_workspace(isa, cin < 1 ? 1 : cin, pixels < 1 ? 1 : pixels));
}

/* dx_i = W^T * dy_i + dx_i per image: W^T packed once, dy_i's rows copied straight into panels. */
void slimj_pointwise_backward_data(const slimj_isa *isa, int cin, int cout, int pixels, int images,
                                   const float *dy, const float *w, long ldw, float *dx, float *ws) {
  if (images <= 0 || cin <= 0 || cout <= 0 || pixels <= 0) {
    return;
  }
  const long mPadded = round_up(cin, isa->mr);
  float *weights = ws;
  float *gemmWs = ws + round_up(mPadded * cout, 16);
  plain_matrix wt = {w, ldw, 1, NULL}; /* op(A) = W^T: stored cout x cin */
  for (int pc = 0; pc < cout; pc += SLIMJ_KC) {
    pack_rows_plain(&wt, 0, cin, pc, min_int(SLIMJ_KC, cout - pc), isa->mr, weights + (long)pc * mPadded);
  }
  /* pixel columns in chunks, so the packed block of dy (kc x chunk) stays in L2 */
  const int chunk = 16 * isa->nr;
  for (int i = 0; i < images; i++) {
    for (int j = 0; j < pixels; j += chunk) {
      plain_matrix d = {dy + (long)i * cout * pixels + j, pixels, 0, isa->copy_panel};
      gemm_blocked(isa, cin, min_int(chunk, pixels - j), cout, 1.0f, 1.0f, NULL, NULL, weights, pack_cols_plain, &d,
                   dx + (long)i * cin * pixels + j, pixels, gemmWs);
    }
  }
}

/* Region sizes (floats) of the weight-gradient workspace: planes, spread dy rows, row table. */
typedef struct {
  long len, ld, planes, dyp, rows;
} bw_layout;

/* Pitch of a 1x1 call's contiguous rows of `len` floats: whole vectors, plus one cache line so
 * rows 4 KB apart do not share an L1 set. */
static long pointwise_pitch(long len) { return round_up(len, 16) + 16; }

static bw_layout bw_layout_of(const slimj_conv *s, int images) {
  bw_layout l = {0, 0, 0, 0, 0};
  if (is_pointwise(s)) {
    l.len = (long)images * s->h * s->w;
    l.ld = pointwise_pitch(l.len);
    l.planes = round_up((long)s->cin * l.ld + SLACK, 16);
    l.dyp = round_up((long)SLIMJ_DOT_MR * l.ld + SLACK, 16);
    return l;
  }
  phases g = phases_of(s);
  l.len = (long)slimj_conv_hout(s) * g.pitch;
  l.ld = round_up(l.len, 16);
  l.planes = round_up(s->cin * g.size + g.pitch + SLACK, 16);
  l.dyp = round_up((long)s->cout * l.ld + SLACK, 16);
  l.rows = round_up((long)s->cin * s->kh * s->kw, 16);
  return l;
}

size_t slimj_conv_backward_weights_workspace(const slimj_conv *s, int images) {
  bw_layout l = bw_layout_of(s, images);
  return (size_t)(l.planes + l.dyp + l.rows + SLACK);
}

/* Row indices of one dot tile starting at `first` of `count` rows `step` apart; repeats the last. */
static int tile_rows(int *rows, int size, int first, int count, long step, const int *table) {
  int valid = min_int(size, count - first);
  for (int i = 0; i < size; i++) {
    int r = first + min_int(i, valid - 1);
    rows[i] = table != NULL ? table[r] : (int)(r * step);
  }
  return valid;
}

/*
 * Dot tiles of DOT_MR output-gradient rows by DOT_NR im2col rows, reduced along pixels. 1x1: the
 * channel rows of all images are copied end to end (pitch padded against 4 KB aliasing) and one
 * tile runs over all of them (sums reduced once per call); other
 * shapes: per image, the input split into phase planes (im2col row = a plane offset) and the
 * output-gradient rows spread to the planes' pitch, zero past each row's wout pixels.
 */
void slimj_conv_backward_weights(const slimj_isa *isa, const slimj_conv *s, int images, int o0, int o1,
                                 const float *x, const float *dy, float *dw, long ldw, float *ws) {
  if (images <= 0 || o1 <= o0) {
    return;
  }
  const int depth = s->cin * s->kh * s->kw;
  const int hout = slimj_conv_hout(s), wout = slimj_conv_wout(s), pixels = hout * wout;
  const long inPlane = (long)s->h * s->w, inImage = inPlane * s->cin, outImage = (long)pixels * s->cout;
  int arow[SLIMJ_DOT_MR], brow[SLIMJ_DOT_NR];
  if (is_pointwise(s)) {
    /* channel rows of all images copied end to end: long contiguous rows, one tile run per call */
    bw_layout l = bw_layout_of(s, images);
    float *xr = ws, *dyr = ws + l.planes;
    for (int c = 0; c < s->cin; c++) {
      for (int i = 0; i < images; i++) {
        memcpy(xr + c * l.ld + (long)i * pixels, x + i * inImage + (long)c * pixels, sizeof(float) * (size_t)pixels);
      }
    }
    for (int o = o0; o < o1; o += SLIMJ_DOT_MR) {
      /* this block's rows of dy, copied just before use so they stay in L1 */
      int ra = tile_rows(arow, SLIMJ_DOT_MR, 0, o1 - o, l.ld, NULL);
      for (int r = 0; r < ra; r++) {
        for (int i = 0; i < images; i++) {
          memcpy(dyr + r * l.ld + (long)i * pixels, dy + i * outImage + (long)(o + r) * pixels,
                 sizeof(float) * (size_t)pixels);
        }
      }
      for (int c = 0; c < depth; c += SLIMJ_DOT_NR) {
        int rb = tile_rows(brow, SLIMJ_DOT_NR, c, depth, l.ld, NULL);
        isa->dot_tile(dyr, arow, 0, xr, brow, 0, 1, l.len, dw + (long)o * ldw + c, ldw, ra, rb);
      }
    }
    return;
  }
  phases g = phases_of(s);
  bw_layout l = bw_layout_of(s, 1);
  float *planes = ws, *dyp = ws + l.planes;
  int *rows = (int *)(dyp + l.dyp);
  for (int p = 0; p < depth; p++) {
    int ci = p / (s->kh * s->kw), r = p % (s->kh * s->kw);
    rows[p] = (int)(ci * g.size + tap_offset(&g, r / s->kw, r % s->kw));
  }
  memset(dyp, 0, sizeof(float) * (size_t)((o1 - o0) * l.ld)); /* columns past wout stay zero */
  for (int i = 0; i < images; i++) {
    const float *xi = x + i * inImage, *dyi = dy + i * outImage;
    for (int ci = 0; ci < s->cin; ci++) {
      split_plane(s, &g, xi + ci * inPlane, planes + ci * g.size);
    }
    for (int o = o0; o < o1; o++) {
      for (int oy = 0; oy < hout; oy++) {
        memcpy(dyp + (o - o0) * l.ld + (long)oy * g.pitch, dyi + (long)o * pixels + (long)oy * wout,
               sizeof(float) * (size_t)wout);
      }
    }
    for (int o = o0; o < o1; o += SLIMJ_DOT_MR) {
      int ra = tile_rows(arow, SLIMJ_DOT_MR, o - o0, o1 - o0, l.ld, NULL);
      for (int c = 0; c < depth; c += SLIMJ_DOT_NR) {
        int rb = tile_rows(brow, SLIMJ_DOT_NR, c, depth, 0, rows);
        isa->dot_tile(dyp, arow, 0, planes, brow, 0, 1, l.len, dw + (long)o * ldw + c, ldw, ra, rb);
      }
    }
  }
}

/* ------------------------------------------------------------------ depthwise convolutions */

/* Region sizes (floats) of the depthwise workspace: planes, frame, then taps/weights/sums. */
typedef struct {
  long planes, frame, small;
  long front; /* offset of the output gradient's first value in the backward-data frame */
} dw_layout;

static dw_layout dw_layout_of(const slimj_conv *s) {
  phases g = phases_of(s);
  dw_layout l;
  l.front = (long)((s->kh - 1) / g.s) * g.pitch + (s->kw - 1) / g.s;
  l.planes = round_up(g.size + g.pitch + SLACK, 16);
  l.frame = round_up(l.front + g.phase + g.pitch + SLACK, 16);
  l.small = round_up(3L * s->kh * s->kw, 16);
  return l;
}

size_t slimj_depthwise_workspace(const slimj_conv *s) {
  dw_layout l = dw_layout_of(s);
  return (size_t)(l.planes + l.frame + l.small);
}

void slimj_depthwise_forward(const slimj_isa *isa, const slimj_conv *s, int from, int to, const float *x,
                             const float *w, float *y, float *ws) {
  const int kk = s->kh * s->kw, channels = s->cout;
  const int hout = slimj_conv_hout(s), wout = slimj_conv_wout(s);
  phases g = phases_of(s);
  dw_layout l = dw_layout_of(s);
  float *planes = ws, *flat = ws + l.planes;
  int *taps = (int *)(flat + l.frame);
  for (int ky = 0; ky < s->kh; ky++) {
    for (int kx = 0; kx < s->kw; kx++) {
      taps[ky * s->kw + kx] = (int)tap_offset(&g, ky, kx);
    }
  }
  const int byRow = wout >= 16; /* short rows: one flat pass over pitch-wide rows, then copy */
  for (int plane = from; plane < to; plane++) {
    const float *wc = w + (long)(plane % channels) * kk;
    float *yp = y + (long)plane * hout * wout;
    split_plane(s, &g, x + (long)plane * s->h * s->w, planes);
    if (byRow) {
      for (int oy = 0; oy < hout; oy++) {
        isa->correlate(planes + (long)oy * g.pitch, taps, wc, kk, yp + (long)oy * wout, wout);
      }
    } else {
      isa->correlate(planes, taps, wc, kk, flat, (long)hout * g.pitch);
      for (int oy = 0; oy < hout; oy++) {
        memcpy(yp + (long)oy * wout, flat + (long)oy * g.pitch, sizeof(float) * (size_t)wout);
      }
    }
  }
}

/*
 * Input phase (ry, rx) of the padded gradient is a correlation of the output gradient, framed by
 * zeros, with the taps (ry + s*i, rx + s*j): dpad(s*a + ry, s*b + rx) = sum w * dy(a - i, b - j).
 */
void slimj_depthwise_backward_data(const slimj_isa *isa, const slimj_conv *s, int from, int to,
                                   const float *dy, const float *w, float *dx, float *ws) {
  const int kk = s->kh * s->kw, channels = s->cout, st = s->stride;
  const int hout = slimj_conv_hout(s), wout = slimj_conv_wout(s);
  phases g = phases_of(s);
  dw_layout l = dw_layout_of(s);
  float *grad = ws, *frame = ws + l.planes;
  int *taps = (int *)(frame + l.frame);
  float *wt = (float *)(taps + kk);
  memset(frame, 0, sizeof(float) * (size_t)l.frame); /* only the dy rows are rewritten per plane */
  for (int plane = from; plane < to; plane++) {
    const float *wc = w + (long)(plane % channels) * kk;
    const float *dyp = dy + (long)plane * hout * wout;
    for (int oy = 0; oy < hout; oy++) {
      memcpy(frame + l.front + (long)oy * g.pitch, dyp + (long)oy * wout, sizeof(float) * (size_t)wout);
    }
    for (int ry = 0; ry < st; ry++) {
      for (int rx = 0; rx < st; rx++) {
        int count = 0;
        for (int ky = ry, i = 0; ky < s->kh; ky += st, i++) {
          for (int kx = rx, j = 0; kx < s->kw; kx += st, j++) {
            taps[count] = (int)(l.front - (long)i * g.pitch - j);
            wt[count] = wc[ky * s->kw + kx];
            count++;
          }
        }
        isa->correlate(frame, taps, wt, count, grad + ((long)ry * st + rx) * g.phase, g.phase);
      }
    }
    add_plane(s, &g, grad, dx + (long)plane * s->h * s->w);
  }
}

void slimj_depthwise_backward_weights(const slimj_isa *isa, const slimj_conv *s, int images, int from, int to,
                                      const float *x, const float *dy, float *dw, float *ws) {
  const int kk = s->kh * s->kw, channels = s->cout;
  const int hout = slimj_conv_hout(s), wout = slimj_conv_wout(s);
  phases g = phases_of(s);
  dw_layout l = dw_layout_of(s);
  float *planes = ws, *grad = ws + l.planes;
  int *taps = (int *)(grad + l.frame);
  float *sums = (float *)(taps + kk);
  for (int ky = 0; ky < s->kh; ky++) {
    for (int kx = 0; kx < s->kw; kx++) {
      taps[ky * s->kw + kx] = (int)tap_offset(&g, ky, kx);
    }
  }
  const long len = (long)hout * g.pitch;
  memset(grad, 0, sizeof(float) * (size_t)l.frame); /* columns past wout stay zero */
  for (int ch = from; ch < to; ch++) {
    memset(sums, 0, sizeof(float) * (size_t)kk);
    for (int i = 0; i < images; i++) {
      long plane = (long)i * channels + ch;
      split_plane(s, &g, x + plane * s->h * s->w, planes);
      const float *dyp = dy + plane * hout * wout;
      for (int oy = 0; oy < hout; oy++) {
        memcpy(grad + (long)oy * g.pitch, dyp + (long)oy * wout, sizeof(float) * (size_t)wout);
      }
      for (int t = 0; t < kk; t++) {
        sums[t] += isa->dot(planes + taps[t], grad, len);
      }
    }
    for (int t = 0; t < kk; t++) {
      dw[(long)ch * kk + t] += sums[t];
    }
  }
}
