package org.slimj.engine.kernels;

/**
 * A GEMM operand as the rows it is stored in: stored row {@code r} starts at {@code
 * data[rows[rowBase + r] + colBase]} and its elements are contiguous. A plain row-major matrix has
 * {@code rows[r] = off + r*ld}; a convolution points the rows of its virtual im2col matrix into the
 * input planes instead, and no matrix is copied.
 *
 * @param data the floats
 * @param rows start of each stored row (only read)
 * @param rowBase first entry of {@code rows} in use
 * @param colBase offset added to every row start
 */
record GemmOperand(float[] data, int[] rows, int rowBase, int colBase) {

  /** The same rows, starting {@code dRow} rows and {@code dCol} columns further. */
  GemmOperand shifted(int dRow, int dCol) {
    return new GemmOperand(data, rows, rowBase + dRow, colBase + dCol);
  }

  /** Start of stored row {@code r}. */
  int row(int r) {
    return rows[rowBase + r] + colBase;
  }

  /**
   * A plain matrix of {@code count} stored rows, {@code ld} apart from {@code off}; its row table is
   * written to {@code table}.
   */
  static GemmOperand plain(float[] data, int off, int ld, int count, int[] table) {
    for (int r = 0; r < count; r++) {
      table[r] = r * ld;
    }
    return new GemmOperand(data, table, 0, off);
  }

  /**
   * Rewrites {@code table} for a plain matrix of {@code count} rows {@code ld} apart from {@code
   * off}, so an operand {@code (data, table, 0, 0)} made once can serve one matrix after another.
   */
  static void plainRows(int off, int ld, int count, int[] table) {
    for (int r = 0; r < count; r++) {
      table[r] = off + r * ld;
    }
  }
}
