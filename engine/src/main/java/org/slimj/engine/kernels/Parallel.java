package org.slimj.engine.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one worker pool a backend splits work over. Ranges are cut into at most {@link #threads()}
 * contiguous chunks whose boundaries depend only on the range and the thread count, so reductions
 * done per chunk give the same result on every run with the same thread count.
 */
public final class Parallel implements AutoCloseable {
  /** Body of a parallel loop: handles indices {@code [from, to)} as chunk number {@code chunk}. */
  @FunctionalInterface
  public interface RangeBody {
    /** Processes one chunk. */
    void run(int chunk, int from, int to);
  }

  private final int threads;
  private final ForkJoinPool pool;

  /** A pool of {@code threads} workers (1 means everything runs on the calling thread). */
  public Parallel(int threads) {
    if (threads < 1 || threads > 1024) {
      throw new IllegalArgumentException("thread count must be in [1, 1024], found " + threads);
    }
    this.threads = threads;
    if (threads == 1) {
      this.pool = null;
    } else {
      AtomicInteger id = new AtomicInteger();
      this.pool =
          new ForkJoinPool(
              threads,
              p -> {
                var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
                t.setName("slimj-worker-" + id.getAndIncrement());
                t.setDaemon(true);
                return t;
              },
              null,
              false);
    }
  }

  /** Number of workers. */
  public int threads() {
    return threads;
  }

  /** Number of chunks {@link #forRange} cuts {@code count} items into when each needs {@code minPerChunk}. */
  public int chunks(int count, int minPerChunk) {
    int byWork = Math.max(1, count / Math.max(1, minPerChunk));
    return Math.max(1, Math.min(threads, Math.min(count, byWork)));
  }

  /**
   * Runs {@code body} over {@code [0, count)} cut into {@link #chunks(int, int)} contiguous chunks,
   * and returns when all are done. Exceptions thrown by a chunk are rethrown here.
   */
  public void forRange(int count, int minPerChunk, RangeBody body) {
    if (count <= 0) {
      return;
    }
    int chunks = chunks(count, minPerChunk);
    if (chunks == 1 || pool == null || ForkJoinTask.inForkJoinPool()) {
      if (chunks == 1) {
        body.run(0, 0, count);
      } else {
        for (int c = 0; c < chunks; c++) {
          body.run(c, start(count, chunks, c), start(count, chunks, c + 1));
        }
      }
      return;
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
    for (int c = 1; c < chunks; c++) {
      final int chunk = c;
      tasks[c - 1] =
          pool.submit(() -> runChunk(body, chunk, start(count, chunks, chunk), start(count, chunks, chunk + 1), failure));
    }
    runChunk(body, 0, 0, start(count, chunks, 1), failure);
    for (ForkJoinTask<?> t : tasks) {
      t.join();
    }
    Throwable f = failure.get();
    if (f instanceof RuntimeException re) {
      throw re;
    } else if (f instanceof Error err) {
      throw err;
    } else if (f != null) {
      throw new IllegalStateException("parallel loop failed", f);
    }
  }

  private static void runChunk(RangeBody body, int chunk, int from, int to, AtomicReference<Throwable> failure) {
    try {
      body.run(chunk, from, to);
    } catch (Throwable t) {
      if (!failure.compareAndSet(null, t)) {
        failure.get().addSuppressed(t);
      }
    }
  }

  /** First index of chunk {@code c} when {@code count} items are cut into {@code chunks}. */
  public static int start(int count, int chunks, int c) {
    return (int) ((long) count * c / chunks);
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdown();
    }
  }
}
