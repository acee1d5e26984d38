/*
 * slimj native kernels: what one instruction set provides (a GEMM micro-kernel and two row
 * primitives), and the portable drivers built on them (blocked SGEMM, convolution forward through
 * an implicit im2col, depthwise convolutions on phase-split planes).
 *
 * Conventions follow org.slimj.engine.kernels.Kernels: row-major, forward kernels overwrite,
 * backward kernels add. Nothing here allocates: every driver takes a caller-owned workspace of at
 * least the size its *_workspace function returns (in floats), aligned to 64 bytes.
 */
#ifndef SLIMJ_KERNELS_H
#define SLIMJ_KERNELS_H

#include <stddef.h>

/* Instruction sets, as numbered by the Java side (NativeBridge.ISA_*). */
enum { SLIMJ_ISA_GENERIC = 0, SLIMJ_ISA_AVX2 = 1, SLIMJ_ISA_AVX512 = 2, SLIMJ_ISA_NEON = 3, SLIMJ_ISA_COUNT = 4 };

/*
 * One instruction set's primitives.
 *
 * micro: acc = sum over p < kc of ap[p*mr + i] * bp[p*nr + j] (an mr x nr tile from a packed A
 *   panel and a packed B panel), then c[i*ldc + j] = alpha * acc + beta * c[i*ldc + j] for the
 *   whole tile; beta == 0 writes alpha * acc without reading c.
 * correlate: out[q] = sum over t < count of w[t] * in[taps[t] + q], for q < len (count may be 0).
 * dot: sum over q < len of a[q] * b[q].
 * dot_tile: a DOT_MR x DOT_NR tile of long dot products, for the weight gradient of a convolution:
 *   out[i*ldo + j] += sum over g < segs, q < len of a[arow[i] + g*sa + q] * b[brow[j] + g*sb + q]
 *   for i < ra, j < rb (ra <= DOT_MR, rb <= DOT_NR). All DOT_MR a rows and DOT_NR b rows are read
 *   (callers repeat a valid row past an edge); only the ra x rb block of out is written.
 * copy_panel (may be NULL): dst[p*nr + j] = src[p*ld + j] for p < rows, j < nr (a GEMM panel of
 *   B copied without a call per row).
 */
typedef struct {
  const char *name;
  int mr, nr;
  void (*micro)(int kc, const float *ap, const float *bp, float *c, long ldc, float alpha, float beta);
  void (*correlate)(const float *in, const int *taps, const float *w, int count, float *out, long len);
  float (*dot)(const float *a, const float *b, long len);
  void (*dot_tile)(const float *a, const int *arow, long sa, const float *b, const int *brow, long sb, int segs,
                   long len, float *out, long ldo, int ra, int rb);
  void (*copy_panel)(const float *src, long ld, int rows, float *dst);
} slimj_isa;

/* The tile of slimj_isa.dot_tile. */
#define SLIMJ_DOT_MR 4
#define SLIMJ_DOT_NR 6

/* Portable dot_tile (scalar, for instruction sets without their own). */
void slimj_dot_tile_generic(const float *a, const int *arow, long sa, const float *b, const int *brow, long sb,
                            int segs, long len, float *out, long ldo, int ra, int rb);

extern const slimj_isa slimj_isa_generic;
#if defined(__x86_64__)
extern const slimj_isa slimj_isa_avx2;
extern const slimj_isa slimj_isa_avx512;
#endif
#if defined(__aarch64__)
extern const slimj_isa slimj_isa_neon;
#endif

/* The table for isa, or NULL if this build lacks it. Does not check the CPU. */
const slimj_isa *slimj_isa_get(int isa);

/* Bit (1 << isa) set for every instruction set that this build has and this CPU runs. */
int slimj_isa_supported(void);

/* Steps of k per packed block, and the largest mr / nr of any table (for stack tiles). */
#define SLIMJ_KC 256
#define SLIMJ_MAX_MR 16
#define SLIMJ_MAX_NR 32

/* Dense convolution geometry (groups 1), as org.slimj.engine.kernels.ConvShape. */
typedef struct {
  int cin, h, w, cout, kh, kw, stride, pad;
} slimj_conv;

static inline int slimj_conv_hout(const slimj_conv *s) { return (s->h + 2 * s->pad - s->kh) / s->stride + 1; }
static inline int slimj_conv_wout(const slimj_conv *s) { return (s->w + 2 * s->pad - s->kw) / s->stride + 1; }

/* ---- SGEMM: C = alpha * op(A) * op(B) + beta * C, on the calling thread. */
size_t slimj_sgemm_workspace(const slimj_isa *isa, int m, int n, int k);
void slimj_sgemm(const slimj_isa *isa, int transA, int transB, int m, int n, int k, float alpha,
                 const float *a, long lda, const float *b, long ldb, float beta, float *c, long ldc,
                 float *ws);

/*
 * ---- Convolution forward for `images` consecutive images, output columns (pixels) [p0, p1) of
 * each: y = W * im2col(x), with W the cout x (cin*kh*kw) prefix of the weights, rows ldw apart.
 * x and y point at the first image.
 */
size_t slimj_conv_forward_workspace(const slimj_isa *isa, const slimj_conv *s);
void slimj_conv_forward(const slimj_isa *isa, const slimj_conv *s, int images, int p0, int p1,
                        const float *x, const float *w, long ldw, float *y, float *ws);

/*
 * ---- Convolution backward. dx (cin x pixels per image) += W^T * dy for `images` consecutive 1x1,
 * stride-1, unpadded images: W is the cout x cin prefix of the weights, rows ldw apart.
 */
size_t slimj_pointwise_backward_data_workspace(const slimj_isa *isa, int cin, int cout, int pixels);
void slimj_pointwise_backward_data(const slimj_isa *isa, int cin, int cout, int pixels, int images,
                                   const float *dy, const float *w, long ldw, float *dx, float *ws);

/*
 * dW[o, :] (rows ldw apart, cin*kh*kw wide) += sum over `images` images of dy_o * im2col(x)^T, for
 * output channels [o0, o1); the workspace is for calls of up to `images` images. Each element is summed in an order that depends on the shape and
 * `images` only, not on [o0, o1).
 */
size_t slimj_conv_backward_weights_workspace(const slimj_conv *s, int images);
void slimj_conv_backward_weights(const slimj_isa *isa, const slimj_conv *s, int images, int o0, int o1,
                                 const float *x, const float *dy, float *dw, long ldw, float *ws);

/*
 * ---- Depthwise convolutions (cin == cout == channels). Planes are numbered image * channels +
 * channel; x, y, dy and dx point at plane 0 and w at channel 0's taps.
 */
size_t slimj_depthwise_workspace(const slimj_conv *s);
/* y = dwconv(x) for planes [from, to). */
void slimj_depthwise_forward(const slimj_isa *isa, const slimj_conv *s, int from, int to, const float *x,
                             const float *w, float *y, float *ws);
/* dx += gradient with respect to the input, for planes [from, to). */
void slimj_depthwise_backward_data(const slimj_isa *isa, const slimj_conv *s, int from, int to,
                                   const float *dy, const float *w, float *dx, float *ws);
/* dw += weight gradient summed over `images` images in order, for channels [from, to). */
void slimj_depthwise_backward_weights(const slimj_isa *isa, const slimj_conv *s, int images, int from, int to,
                                      const float *x, const float *dy, float *dw, float *ws);

#endif
