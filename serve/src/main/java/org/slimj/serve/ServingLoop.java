package org.slimj.serve;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A bounded queue of requests and the one worker thread that serves it: the worker takes the
 * batch the {@link WidthPolicy} chooses from the queue, runs it at the chosen front point, feeds
 * the measured time to the {@link ServiceTimes} and completes each request's future. A request
 * that finds the queue full is refused at once ({@link QueueFullException}); nothing waits for
 * room.
 *
 * <p>{@link #close()} refuses new requests, serves those already queued, then stops the worker.
 */
public final class ServingLoop implements AutoCloseable {
  private record Pending(float[] image, long arrival, CompletableFuture<Answer> future) {}

  private final BatchRunner runner;
  private final WidthPolicy policy;
  private final ServiceTimes times;
  private final ServeMetrics metrics;
  private final LongSupplier clock;
  private final int capacity;
  private final ArrayDeque<Pending> queue;
  private final long[] arrivals;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition waiting = lock.newCondition();
  private final Thread worker;
  private boolean closing;

  /**
   * Starts the worker.
   *
   * @param times measured service times to update, or null
   * @param capacity most requests waiting at once (>= 1)
   * @param clock nanosecond clock (e.g. {@code System::nanoTime})
   */
  public ServingLoop(BatchRunner runner, WidthPolicy policy, ServiceTimes times, ServeMetrics metrics, int capacity,
      LongSupplier clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("serving loop: expected a queue capacity >= 1, found " + capacity);
    }
    this.runner = runner;
    this.policy = policy;
    this.times = times;
    this.metrics = metrics;
    this.clock = clock;
    this.capacity = capacity;
    this.queue = new ArrayDeque<>(capacity);
    this.arrivals = new long[capacity];
    this.worker = Thread.ofPlatform().name("slimj-serve").daemon(true).unstarted(this::loop);
    worker.start();
  }

  /**
   * Queues one preprocessed image.
   *
   * @throws QueueFullException if {@code capacity} requests are waiting
   * @throws IllegalStateException if the loop is closing
   */
  public CompletableFuture<Answer> submit(float[] image) {
    return submit(image, clock.getAsLong());
  }

  /**
   * Queues one preprocessed image that arrived at {@code arrivalNanos} (on this loop's clock; e.g.
   * when its HTTP request came in, so the policy also sees the time spent reading and parsing it).
   *
   * @throws QueueFullException if {@code capacity} requests are waiting
   * @throws IllegalStateException if the loop is closing
   */
  public CompletableFuture<Answer> submit(float[] image, long arrivalNanos) {
    CompletableFuture<Answer> f = new CompletableFuture<>();
    lock.lock();
    try {
      if (closing) {
        throw new IllegalStateException("the server is shutting down");
      }
      if (queue.size() >= capacity) {
        throw new QueueFullException(capacity);
      }
      queue.addLast(new Pending(image, arrivalNanos, f));
      waiting.signal();
    } finally {
      lock.unlock();
    }
    return f;
  }

  /** Requests waiting now. */
  public int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    try {
      serveUntilClosed();
    } finally {
      lock.lock();
      try {
        closing = true;
        for (Pending p : queue) {
          p.future().completeExceptionally(new IllegalStateException("the serving loop stopped"));
        }
        queue.clear();
      } finally {
        lock.unlock();
      }
    }
  }

  private void serveUntilClosed() {
    while (true) {
      Pending[] batch;
      WidthPolicy.Decision d;
      long start;
      lock.lock();
      try {
        while (queue.isEmpty() && !closing) {
          waiting.awaitUninterruptibly();
        }
        if (queue.isEmpty()) {
          return;
        }
        int n = 0;
        for (Pending p : queue) {
          arrivals[n++] = p.arrival();
        }
        start = clock.getAsLong();
        d = policy.decide(start, arrivals, n);
        batch = new Pending[d.batch()];
        for (int i = 0; i < batch.length; i++) {
          batch[i] = queue.pollFirst();
        }
      } finally {
        lock.unlock();
      }
      serve(batch, d.point(), start);
    }
  }

  private void serve(Pending[] batch, int point, long start) {
    float[][] images = new float[batch.length][];
    for (int i = 0; i < batch.length; i++) {
      images[i] = batch[i].image();
    }
    try {
      var prediction = runner.run(images, point);
      long done = clock.getAsLong();
      if (times != null) {
        times.observe(point, batch.length, done - start);
      }
      metrics.batch(point, batch.length);
      metrics.serviceTime(done - start);
      for (int i = 0; i < batch.length; i++) {
        batch[i].future().complete(new Answer(prediction, i, point, batch.length, batch[i].arrival(), start, done));
      }
    } catch (RuntimeException | Error e) {
      // each request of the batch reports the failure (HTTP 500); an Error also ends the loop
      for (Pending p : batch) {
        p.future().completeExceptionally(e);
      }
      if (e instanceof Error err) {
        throw err;
      }
    }
  }

  /** Refuses new requests, serves the queued ones and waits up to {@code timeoutMs} for the worker. */
  public boolean close(long timeoutMs) {
    lock.lock();
    try {
      closing = true;
      waiting.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      return worker.join(java.time.Duration.ofMillis(timeoutMs));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** {@link #close(long)} with a 30 s wait. */
  @Override
  public void close() {
    close(TimeUnit.SECONDS.toMillis(30));
  }
}
