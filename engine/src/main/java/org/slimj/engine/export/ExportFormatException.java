package org.slimj.engine.export;

import java.io.IOException;

/** An exported network's files do not describe a valid network; the message names the file and the field. */
public final class ExportFormatException extends IOException {
  /** {@code source: detail}. */
  public ExportFormatException(String source, String detail) {
    super(source + ": " + detail);
  }

  /** {@code source: detail}, with the cause. */
  public ExportFormatException(String source, String detail, Throwable cause) {
    super(source + ": " + detail, cause);
  }
}
