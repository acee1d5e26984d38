package org.slimj.engine.infer;

import java.util.concurrent.atomic.AtomicReference;

/**
 * What a predictor owns (its backend's worker threads, when it made them) and whether it is
 * closed: {@link #close()} stops what it owns once; calls after it fail.
 */
final class Ownership {
  private final AtomicReference<AutoCloseable> owned = new AtomicReference<>();
  private volatile boolean closed;

  /** Takes ownership of {@code resource}, closed by {@link #close()}. */
  void own(AutoCloseable resource) {
    owned.set(resource);
  }

  /** Marks the owner closed and closes what it owns (once). */
  void close() {
    closed = true;
    AutoCloseable r = owned.getAndSet(null);
    if (r != null) {
      try {
        r.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing the predictor's worker threads failed: " + e.getMessage(), e);
      }
    }
  }

  /** Throws if the owner is closed. */
  void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this predictor is closed");
    }
  }
}
