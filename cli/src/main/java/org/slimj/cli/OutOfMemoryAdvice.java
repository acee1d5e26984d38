package org.slimj.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * Turns an {@link OutOfMemoryError} into one line that says what to lower or which heap limit to
 * ask for, instead of a stack trace: the heap limit of this JVM, and twice that as the next try.
 */
final class OutOfMemoryAdvice {
  /** Exit status after running out of memory. */
  static final int EXIT_CODE = 3;

  private OutOfMemoryAdvice() {}

  /** Runs {@code command} and returns its status, or prints the advice and returns {@link #EXIT_CODE}. */
  static int run(IntSupplier command, PrintStream err, long maxHeapBytes) {
    try {
      return command.getAsInt();
    } catch (OutOfMemoryError e) {
      err.println(line(e, maxHeapBytes));
      return EXIT_CODE;
    }
  }

  /** The advice for {@code e} in a JVM whose heap limit is {@code maxHeapBytes}. */
  static String line(OutOfMemoryError e, long maxHeapBytes) {
    double gb = maxHeapBytes / (1024.0 * 1024 * 1024);
    long next = Math.max(2, (long) Math.ceil(2 * gb));
    String what = e.getMessage() == null ? "out of memory" : e.getMessage();
    return String.format(Locale.ROOT,
        "slimj: out of memory (%s) with a Java heap limit of %.1f GB: lower --batch (or the model's --max-width),"
            + " or raise the limit, e.g. SLIMJ_JAVA_OPTS=-Xmx%dg ./slimj ...",
        what, gb, next);
  }
}
