package org.slimj.engine.io;

import java.io.IOException;

/**
 * A safetensors file that is malformed, inconsistent or cannot be used as asked. The message starts
 * with the file, then names the field or tensor and what was expected and found, e.g. {@code
 * model.safetensors: tensor 'stem.conv.weight': data_offsets [0, 100) hold 100 bytes, shape [4, 3,
 * 3, 3] of F32 needs 432}.
 */
public final class SafetensorsException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A problem with {@code source} (usually a file path) described by {@code detail}. */
  public SafetensorsException(String source, String detail) {
    super(source + ": " + detail);
  }

  /** As {@link #SafetensorsException(String, String)}, keeping the underlying cause. */
  public SafetensorsException(String source, String detail, Throwable cause) {
    super(source + ": " + detail, cause);
  }
}
