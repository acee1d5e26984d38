package org.slimj.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code main} run in a new JVM with this test's class path and JVM options of its own (a heap
 * limit, a JIT tier): what one test JVM cannot show about another. Output goes to a file, so a
 * chatty child never blocks on a full pipe.
 */
public final class ForkedJvm {
  private final Process process;
  private final Path log;

  private ForkedJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code main} with {@code jvmOptions} (after the Vector API module) and {@code args}. */
  public static ForkedJvm start(List<String> jvmOptions, Class<?> main, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--add-modules");
    cmd.add("jdk.incubator.vector");
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(args);
    Path log = Files.createTempFile("slimj-forked-", ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new ForkedJvm(p, log);
  }

  /** Runs {@code main} to its end (at most {@code timeoutSeconds}) and returns its exit status and output. */
  public static Result run(List<String> jvmOptions, Class<?> main, List<String> args, long timeoutSeconds)
      throws IOException, InterruptedException {
    ForkedJvm j = start(jvmOptions, main, args);
    return j.waitFor(timeoutSeconds);
  }

  /** The running process (to kill it). */
  public Process process() {
    return process;
  }

  /** Waits for the end (killing the child after {@code timeoutSeconds}) and returns what it did. */
  public Result waitFor(long timeoutSeconds) throws IOException, InterruptedException {
    boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly().waitFor();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    return new Result(ended ? process.exitValue() : -1, ended, out);
  }

  /**
   * What a forked JVM did.
   *
   * @param code exit status (-1 if it was stopped at the timeout)
   * @param ended false if it ran past its timeout
   * @param output standard output and error, interleaved
   */
  public record Result(int code, boolean ended, String output) {}
}
