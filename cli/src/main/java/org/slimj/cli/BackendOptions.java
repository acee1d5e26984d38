package org.slimj.cli;

import org.slimj.engine.kernels.Backends;
import picocli.CommandLine.Option;

/** The {@code --backend} and {@code --threads} options shared by commands that compute. */
public final class BackendOptions {
  @Option(
      names = "--backend",
      paramLabel = "B",
      description = "Kernel backend: auto, scalar, vector or native (default: ${DEFAULT-VALUE}, or the slimj.backend property).")
  String backend = System.getProperty(Backends.BACKEND_PROPERTY, "auto");

  @Option(
      names = "--threads",
      paramLabel = "T",
      description = "Worker threads (default: the processors available, or the slimj.threads property).")
  Integer threads;

  /** The thread count asked for, or the default. */
  public int threads() {
    if (threads != null) {
      return threads;
    }
    String p = System.getProperty(Backends.THREADS_PROPERTY);
    return p != null ? Integer.parseInt(p.trim()) : Backends.defaultThreads();
  }

  /** Chooses the backend once and logs the choice once on standard error. */
  public Backends.Choice choose() {
    Backends.Choice c = Backends.choose(backend, threads());
    System.err.println("slimj: " + c.reason());
    return c;
  }
}
