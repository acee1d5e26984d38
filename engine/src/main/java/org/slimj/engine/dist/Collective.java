package org.slimj.engine.dist;

/**
 * The communication of synchronous data-parallel training: {@link #size()} ranks, numbered from 0,
 * each calling the same operations in the same order. Every operation blocks until all ranks have
 * joined it; a rank that fails, leaves or does not arrive in time makes the others throw a {@link
 * CollectiveException} naming it, never hang.
 *
 * <p>Sums are taken in rank order ({@code ((x0 + x1) + x2) + ...}, element by element), so every
 * rank ends with bit-identical results, and the result does not depend on which rank arrived first.
 */
public interface Collective extends AutoCloseable {
  /** This rank, in {@code [0, size())}. */
  int rank();

  /** Number of ranks. */
  int size();

  /**
   * Replaces {@code data} on every rank with the element-wise sum over all ranks, in rank order.
   * Every rank passes an array of the same length.
   */
  void allReduceSum(float[] data);

  /** Copies rank {@code root}'s {@code data} into every other rank's {@code data} (same length everywhere). */
  void broadcast(float[] data, int root);

  /** Returns once every rank has called it. */
  void barrier();

  /** Leaves the group; operations after close throw. Call {@link #barrier()} first for an orderly end. */
  @Override
  void close();
}
