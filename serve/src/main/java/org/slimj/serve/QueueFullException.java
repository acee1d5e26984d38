package org.slimj.serve;

/** A request refused because the server's queue is at its bound (HTTP 503). */
public final class QueueFullException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The queue held {@code capacity} requests. */
  public QueueFullException(int capacity) {
    super("queue full (" + capacity + " requests waiting); retry later");
  }
}
