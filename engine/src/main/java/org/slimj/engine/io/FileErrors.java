package org.slimj.engine.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * File errors as people read them: the operation, the file and why ({@code cannot write checkpoint
 * to runs/x/checkpoint.safetensors: No space left on device}), never a bare path, which is all
 * the JDK's {@link NoSuchFileException} and its kin say.
 */
public final class FileErrors {
  private FileErrors() {}

  /** Why {@code e} happened, in words (its reason, or what its type means, or its message). */
  public static String reason(IOException e) {
    if (e instanceof FileSystemException f) {
      String what = f.getReason() != null ? f.getReason()
          : e instanceof NoSuchFileException ? "no such file or directory"
          : e instanceof AccessDeniedException ? "permission denied"
          : e instanceof FileAlreadyExistsException ? "already exists"
          : e instanceof NotDirectoryException ? "not a directory"
          : e instanceof DirectoryNotEmptyException ? "directory not empty"
          : e.getClass().getSimpleName();
      String other = f.getOtherFile() != null ? " (" + f.getOtherFile() + ")" : "";
      return what + other;
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /**
   * An exception saying {@code cannot OPERATION FILE: REASON}, with {@code e} as its cause.
   *
   * @param operation e.g. {@code "write checkpoint to"}
   */
  public static IOException describe(String operation, Path file, IOException e) {
    String msg = e.getMessage();
    if (msg != null && msg.startsWith("cannot ")) {
      return e;
    }
    return new IOException("cannot " + operation + " " + file + ": " + reason(e), e);
  }
}
