package org.slimj.datasets;

/**
 * A data file or directory that cannot be used: missing, unreadable or malformed. The message
 * names the file (or resource) first, then the problem with the expected and the found values.
 *
 * <p>Unchecked, so that loaders can be used from streams and command handlers without wrapping.
 */
public final class DatasetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;

  /** A problem with {@code file}; the message reads {@code "<file>: <problem>"}. */
  public DatasetException(String file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  /** A problem with {@code file} caused by {@code cause} (an I/O or decompression error). */
  public DatasetException(String file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The file, directory or resource the problem is about, as named in the message. */
  public String file() {
    return file;
  }
}
