package org.slimj.engine.dist;

/**
 * A collective operation could not complete: a rank left, failed, sent mismatching data or did not
 * arrive in time. The message names the operation and the rank (and its address where known).
 */
public final class CollectiveException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error with {@code message}. */
  public CollectiveException(String message) {
    super(message);
  }

  /** An error with {@code message} caused by {@code cause}. */
  public CollectiveException(String message, Throwable cause) {
    super(message, cause);
  }
}
