package org.slimj.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One {@code ./slimj} command run in this JVM through {@link Main#commandLine()}, with what it
 * printed.
 *
 * @param code exit status
 * @param out standard output
 * @param err standard error
 */
public record CliRun(int code, String out, String err) {
  /** Runs {@code ./slimj args...} and captures both streams. */
  public static CliRun run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter o = new PrintWriter(out, true);
    PrintWriter e = new PrintWriter(err, true);
    cl.setOut(o);
    cl.setErr(e);
    int code = cl.execute(args);
    o.flush();
    e.flush();
    return new CliRun(code, out.toString(), err.toString());
  }
}
