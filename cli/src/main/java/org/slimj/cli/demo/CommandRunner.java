package org.slimj.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slimj.cli.Main;
import picocli.CommandLine;

/**
 * Runs slimj commands in this JVM, as a user would type them, writing each command's standard output
 * to a file and its standard error (progress bars, notes) both to the terminal and to a log.
 */
public final class CommandRunner {
  private final PrintWriter terminal;

  /** A runner that echoes standard error of each command to {@code terminal}. */
  public CommandRunner(PrintWriter terminal) {
    this.terminal = terminal;
  }

  /**
   * Runs {@code ./slimj args...}; standard output goes to {@code outFile}, standard error to the terminal
   * and to {@code logFile}. A non-zero exit status is an error naming the command and the log.
   */
  public void run(List<String> args, Path outFile, Path logFile) throws IOException {
    Files.createDirectories(outFile.toAbsolutePath().getParent());
    Files.createDirectories(logFile.toAbsolutePath().getParent());
    CommandLine cl = Main.commandLine();
    int code;
    try (Writer outW = Files.newBufferedWriter(outFile, StandardCharsets.UTF_8);
        Writer logW = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
      PrintWriter out = new PrintWriter(outW, true);
      PrintWriter err = new PrintWriter(new TeeWriter(logW, terminal), true);
      err.println("$ ./slimj " + String.join(" ", args));
      cl.setOut(out);
      cl.setErr(err);
      code = cl.execute(args.toArray(String[]::new));
      out.flush();
      err.flush();
    }
    if (code != 0) {
      throw new IllegalStateException("'./slimj " + String.join(" ", args) + "' failed with status " + code + "; see "
          + logFile);
    }
  }

  /** A writer that writes to two writers. */
  private static final class TeeWriter extends Writer {
    private final Writer a;
    private final Writer b;

    TeeWriter(Writer a, Writer b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
      a.write(cbuf, off, len);
      b.write(cbuf, off, len);
    }

    @Override
    public void flush() throws IOException {
      a.flush();
      b.flush();
    }

    @Override
    public void close() throws IOException {
      a.flush();
      b.flush();
    }
  }
}
