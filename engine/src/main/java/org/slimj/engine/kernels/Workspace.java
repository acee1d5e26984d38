package org.slimj.engine.kernels;

/**
 * Scratch arrays owned by one thread, grown on demand and reused, so kernels allocate nothing in
 * the steady state. Each purpose has its own slot, so a kernel can hold one slot while calling a
 * helper that uses another (a convolution holds {@link #PLANES} while its GEMM packs into {@link
 * #PACK_B}). An instance is only ever used by the thread that owns it; data
 * that must outlive a parallel chunk goes into the <em>calling</em> thread's workspace.
 */
final class Workspace {
  /** A transposed left GEMM operand, copied row-major. */
  static final int PACK_A = 0;
  /** Packed panels of the GEMM's right operand. */
  static final int PACK_B = 1;
  /** One micro-tile of C, before alpha, beta and the matrix edge are applied. */
  static final int TILE = 2;
  /** Output or column-gradient matrix of one image, in phase-plane pitch. */
  static final int COL = 3;
  /** Per-chunk partial sums reduced by the calling thread. */
  static final int PARTIAL = 4;
  /** Padded or phase-split input plane of a depthwise convolution. */
  static final int PLANE_IN = 5;
  /** Output-side plane of a depthwise convolution; output gradient of a dense one in pitch layout. */
  static final int PLANE_OUT = 6;
  /** Per-tap weights or sums of a depthwise convolution. */
  static final int TAP_VALUES = 7;
  /** Phase planes of all channels of one image (dense convolutions). */
  static final int PLANES = 8;
  /** Transposed convolution weights. */
  static final int WEIGHTS = 9;
  /** Per-lane partial sums of a weight gradient ({@link ConvWeightsDot}). */
  static final int WIDE = 10;
  /** Per-tap offsets of a depthwise convolution (int slot). */
  static final int TAPS = 0;
  /** Row starts of a plain GEMM operand B (int slot). */
  static final int B_ROWS = 1;
  /** Row starts of a convolution's virtual im2col matrix (int slot). */
  static final int CONV_ROWS = 2;
  /** Row starts of a plain GEMM operand A (int slot). */
  static final int A_ROWS = 3;
  /** Row starts of {@link #PACK_A} (int slot). */
  static final int PACKED_ROWS = 4;

  private static final int FLOAT_SLOTS = 11;
  private static final int INT_SLOTS = 5;

  private final float[][] floats = new float[FLOAT_SLOTS][];
  private final int[][] ints = new int[INT_SLOTS][];
  /** The last operand returned by {@link #packedA}, reused while its arrays stay the same. */
  private GemmOperand packedA;

  /**
   * {@code dst} ({@link #PACK_A}) as a row-major operand of {@code count} rows {@code ld} apart, its
   * row table in {@link #PACKED_ROWS}: the same object each time the arrays are the same.
   */
  GemmOperand packedA(float[] dst, int ld, int count) {
    int[] table = ints(PACKED_ROWS, count);
    for (int r = 0; r < count; r++) {
      table[r] = r * ld;
    }
    GemmOperand o = packedA;
    if (o == null || o.data() != dst || o.rows() != table) {
      o = new GemmOperand(dst, table, 0, 0);
      packedA = o;
    }
    return o;
  }

  /**
   * The float array of {@code slot}, at least {@code size} long. Contents are whatever the last user
   * left there; a grown array starts zeroed.
   */
  float[] floats(int slot, int size) {
    float[] a = floats[slot];
    if (a == null || a.length < size) {
      a = new float[grownSize(a == null ? 0 : a.length, size)];
      floats[slot] = a;
    }
    return a;
  }

  /** The int array of {@code slot}, at least {@code size} long (contents unspecified). */
  int[] ints(int slot, int size) {
    int[] a = ints[slot];
    if (a == null || a.length < size) {
      a = new int[grownSize(a == null ? 0 : a.length, size)];
      ints[slot] = a;
    }
    return a;
  }

  /** Room for {@code needed}, with headroom so slowly growing requests do not reallocate each time. */
  private static int grownSize(int current, int needed) {
    long grown = Math.max((long) needed, current + (current >> 1));
    return (int) Math.min(Integer.MAX_VALUE - 16, (grown + 63) & ~63L);
  }
}
