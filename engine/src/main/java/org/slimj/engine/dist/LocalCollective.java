package org.slimj.engine.dist;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Collective} whose ranks are threads of one JVM (for tests and for several workers on one
 * machine without a network): each operation exchanges array references through a shared table
 * between two barrier points. Sums run in rank order, exactly as the networked implementation sums.
 */
public final class LocalCollective implements Collective {
  /** State shared by the ranks of one group. */
  private static final class Group {
    final int size;
    final CyclicBarrier barrier;
    final float[][] slots;
    final long timeoutNanos;
    volatile int closedRank = -1;

    Group(int size, Duration timeout) {
      this.size = size;
      this.barrier = new CyclicBarrier(size);
      this.slots = new float[size][];
      this.timeoutNanos = timeout.toNanos();
    }
  }

  private final Group group;
  private final int rank;
  private long operations;
  private float[] scratch = new float[0];
  private boolean closed;

  private LocalCollective(Group group, int rank) {
    this.group = group;
    this.rank = rank;
  }

  /**
   * A group of {@code size} ranks; element {@code r} is rank {@code r}, to be used by one thread.
   * An operation that waits longer than {@code timeout} for the other ranks throws.
   */
  public static List<Collective> group(int size, Duration timeout) {
    if (size < 1 || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "in-process collective: expected size >= 1 and a positive timeout, found size " + size + ", timeout " + timeout);
    }
    Group g = new Group(size, timeout);
    List<Collective> ranks = new ArrayList<>(size);
    for (int r = 0; r < size; r++) {
      ranks.add(new LocalCollective(g, r));
    }
    return List.copyOf(ranks);
  }

  @Override
  public int rank() {
    return rank;
  }

  @Override
  public int size() {
    return group.size;
  }

  @Override
  public void allReduceSum(float[] data) {
    String op = begin("allReduceSum");
    group.slots[rank] = data;
    await(op);
    checkLengths(op);
    int n = data.length;
    if (scratch.length < n) {
      scratch = new float[n];
    }
    System.arraycopy(group.slots[0], 0, scratch, 0, n);
    for (int r = 1; r < group.size; r++) {
      float[] x = group.slots[r];
      for (int i = 0; i < n; i++) {
        scratch[i] += x[i];
      }
    }
    await(op);
    System.arraycopy(scratch, 0, data, 0, n);
  }

  @Override
  public void broadcast(float[] data, int root) {
    if (root < 0 || root >= group.size) {
      throw new IllegalArgumentException("broadcast: expected a root rank in [0, " + group.size + "), found " + root);
    }
    String op = begin("broadcast from rank " + root);
    group.slots[rank] = data;
    await(op);
    checkLengths(op);
    if (rank != root) {
      System.arraycopy(group.slots[root], 0, data, 0, data.length);
    }
    await(op);
  }

  @Override
  public void barrier() {
    await(begin("barrier"));
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      group.closedRank = rank;
      group.barrier.reset();
    }
  }

  private String begin(String what) {
    String op = "in-process collective, rank " + rank + " of " + group.size + ": " + what + " #" + operations++;
    if (closed) {
      throw new CollectiveException(op + ": this rank is closed");
    }
    int c = group.closedRank;
    if (c >= 0) {
      throw new CollectiveException(op + ": rank " + c + " has closed, so the operation cannot complete");
    }
    return op;
  }

  private void checkLengths(String op) {
    int n = group.slots[0].length;
    for (int r = 1; r < group.size; r++) {
      if (group.slots[r].length != n) {
        throw new CollectiveException(op + ": expected every rank's array to have rank 0's length " + n
            + ", found " + group.slots[r].length + " at rank " + r);
      }
    }
  }

  private void await(String op) {
    try {
      group.barrier.await(group.timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new CollectiveException(op + ": not all " + group.size + " ranks arrived within "
          + Duration.ofNanos(group.timeoutNanos), e);
    } catch (BrokenBarrierException e) {
      int c = group.closedRank;
      throw new CollectiveException(op + ": another rank " + (c >= 0 ? "(rank " + c + ") closed" : "failed or timed out")
          + " while this one waited", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CollectiveException(op + ": interrupted while waiting for the other ranks", e);
    }
  }
}
