package org.slimj.engine.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;

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
  /** Per calling thread: one reusable task per chunk (no garbage per loop). */
  private final ThreadLocal<Chunk[]> forks;

  /** A pool of {@code threads} workers (1 means everything runs on the calling thread). */
  public Parallel(int threads) {
    if (threads < 1 || threads > 1024) {
      throw new IllegalArgumentException("thread count must be in [1, 1024], found " + threads);
    }
    this.threads = threads;
    this.forks = ThreadLocal.withInitial(() -> {
      Chunk[] t = new Chunk[threads];
      for (int i = 0; i < threads; i++) {
        t[i] = new Chunk();
      }
      return t;
    });
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
   * and returns when all are done. Exceptions thrown by a chunk are rethrown here. The calling
   * thread runs chunk 0 and hands the others to workers as task objects it reuses call after call,
   * so a loop allocates nothing here. Called from a worker, or from inside a chunk the calling
   * thread runs, the chunks run one after another on the calling thread (same chunks, same results).
   */
  public void forRange(int count, int minPerChunk, RangeBody body) {
    if (count <= 0) {
      return;
    }
    int chunks = chunks(count, minPerChunk);
    Chunk[] tasks = pool == null || chunks == 1 || ForkJoinTask.inForkJoinPool() ? null : forks.get();
    if (tasks == null || tasks[0].busy) {
      if (chunks == 1) {
        body.run(0, 0, count);
      } else {
        for (int c = 0; c < chunks; c++) {
          body.run(c, start(count, chunks, c), start(count, chunks, c + 1));
        }
      }
      return;
    }
    tasks[0].busy = true;
    try {
      for (int c = 1; c < chunks; c++) {
        Chunk t = tasks[c];
        t.reinitialize();
        t.set(body, c, start(count, chunks, c), start(count, chunks, c + 1));
        pool.execute(t);
      }
      Chunk own = tasks[0];
      own.set(body, 0, 0, start(count, chunks, 1));
      own.compute();
      Throwable failure = own.takeFailure();
      for (int c = 1; c < chunks; c++) {
        tasks[c].quietlyJoin();
        Throwable f = tasks[c].takeFailure();
        if (failure == null) {
          failure = f;
        } else if (f != null) {
          failure.addSuppressed(f);
        }
      }
      if (failure instanceof RuntimeException re) {
        throw re;
      } else if (failure instanceof Error err) {
        throw err;
      } else if (failure != null) {
        throw new IllegalStateException("parallel loop failed", failure);
      }
    } finally {
      tasks[0].busy = false;
    }
  }

  /**
   * One chunk of a loop, reused by the thread that owns it (see {@link #forks}); entry 0 of a
   * thread's array is run by that thread itself and marks the array in use.
   */
  private static final class Chunk extends RecursiveAction {
    private RangeBody body;
    private int chunk;
    private int from;
    private int to;
    private Throwable failure;
    /** Set on entry 0 while its thread runs a loop with these tasks. */
    boolean busy;

    void set(RangeBody body, int chunk, int from, int to) {
      this.body = body;
      this.chunk = chunk;
      this.from = from;
      this.to = to;
      this.failure = null;
    }

    /** The chunk's failure, if any; forgets the body so the task keeps no caller data alive. */
    Throwable takeFailure() {
      Throwable f = failure;
      failure = null;
      body = null;
      return f;
    }

    @Override
    protected void compute() {
      try {
        body.run(chunk, from, to);
      } catch (Throwable t) {
        failure = t;
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
