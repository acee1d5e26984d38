package org.slimj.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one way slimj replaces a file: write {@code TARGET.tmp-RANDOM} next to it, force it to
 * disk, rename it over the target in one atomic step, then force the directory. A reader sees the
 * old file or the new one, never a part; a failure before the rename leaves the target as it was
 * and deletes the temporary file. A process killed before the rename cannot delete its temporary
 * file, so every write first removes the stale temporary files of its target ({@link
 * #removeStale}): one writer per target is assumed, as for checkpoints, results and tables.
 */
public final class AtomicFiles {
  /** What comes between a target's name and the random suffix of its temporary files. */
  public static final String TMP_INFIX = ".tmp-";

  private AtomicFiles() {}

  /** Writes the content of a file into an open channel. */
  @FunctionalInterface
  public interface Content {
    /** Writes everything to {@code channel} (positioned at 0). */
    void writeTo(FileChannel channel) throws IOException;
  }

  /**
   * Replaces {@code target} with what {@code content} writes, atomically (see the class comment).
   *
   * @throws IOException if writing, forcing or renaming fails (the target is then unchanged)
   */
  public static void write(Path target, Content content) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    removeStale(absolute);
    Path tmp = dir.resolve(absolute.getFileName() + TMP_INFIX
        + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        content.writeTo(ch);
        ch.force(true);
      }
      Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (Throwable t) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException deleteFailure) {
        t.addSuppressed(deleteFailure);
      }
      throw t;
    }
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      }
    }
  }

  /** Replaces {@code target} with {@code text} in UTF-8, atomically. */
  public static void writeString(Path target, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    write(target, ch -> {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
    });
  }

  /**
   * Deletes the temporary files a killed write of {@code target} left behind ({@code
   * TARGET.tmp-*} in its directory; nothing else) and returns how many there were.
   */
  public static int removeStale(Path target) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    String prefix = absolute.getFileName() + TMP_INFIX;
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int n = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix))) {
      for (Path p : ds) {
        try {
          Files.delete(p);
          n++;
        } catch (NoSuchFileException gone) {
          // removed meanwhile: nothing left to clean
        }
      }
    }
    return n;
  }
}
