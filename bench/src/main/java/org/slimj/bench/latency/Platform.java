package org.slimj.bench.latency;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.slimj.search.latency.Provenance;

/** The provenance of a measurement made in this JVM on this machine. */
public final class Platform {
  private Platform() {}

  /**
   * The provenance of a table measured here now with {@code backend}, {@code threads}, {@code batch}
   * and {@code clock}; {@code platform} null gives {@code <backend>-<threads>t-b<batch>[-thread-cpu]}.
   */
  public static Provenance here(String platform, String backend, int threads, int batch, TimingClock clock,
      String method) {
    String name = platform != null ? platform
        : backend + "-" + threads + "t-b" + batch + (clock == TimingClock.WALL ? "" : "-" + clock.label());
    return new Provenance(name, System.getProperty("java.vm.version", "unknown"),
        System.getProperty("java.vm.vendor", "unknown"), cpuModel(),
        System.getProperty("os.name", "unknown") + " " + System.getProperty("os.arch", "unknown"), backend, threads,
        batch, clock.label(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), commit(), method);
  }

  /** The CPU model from /proc/cpuinfo ("model name", or "Model"/"CPU part" on ARM), else the architecture. */
  public static String cpuModel() {
    Path p = Path.of("/proc/cpuinfo");
    if (Files.isReadable(p)) {
      try {
        for (String line : Files.readAllLines(p)) {
          int colon = line.indexOf(':');
          if (colon < 0) {
            continue;
          }
          String key = line.substring(0, colon).trim();
          if (key.equals("model name") || key.equals("Model") || key.equals("Hardware")) {
            return line.substring(colon + 1).trim() + " x" + Runtime.getRuntime().availableProcessors();
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + p + ": " + e.getMessage(), e);
      }
    }
    return System.getProperty("os.arch", "unknown") + " x" + Runtime.getRuntime().availableProcessors();
  }

  /** The slimj commit ({@code git describe --always --dirty}), or {@code unknown} outside a checkout. */
  public static String commit() {
    try {
      Process proc = new ProcessBuilder("git", "describe", "--always", "--dirty", "--abbrev=12")
          .redirectErrorStream(true).start();
      String out;
      try (InputStream in = proc.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      }
      if (!proc.waitFor(10, TimeUnit.SECONDS)) {
        proc.destroyForcibly();
        return "unknown";
      }
      return proc.exitValue() == 0 && !out.isEmpty() && !out.contains("\n") ? out : "unknown";
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
