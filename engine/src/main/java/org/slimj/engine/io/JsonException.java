package org.slimj.engine.io;

/** Malformed or unsupported JSON text; the message names the character position and the problem. */
public final class JsonException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int position;

  /** A syntax error at {@code position} (an index into the parsed string). */
  public JsonException(int position, String detail) {
    super("at character " + position + ": " + detail);
    this.position = position;
  }

  /** Index into the parsed string where the problem was found. */
  public int position() {
    return position;
  }
}
