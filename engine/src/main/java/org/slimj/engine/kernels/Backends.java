package org.slimj.engine.kernels;

import java.util.Locale;

/**
 * Chooses the kernel backend once, from a name ({@code auto|scalar|vector|native}) and a thread
 * count. A backend asked for by name that cannot run here is an error, never a silent fallback;
 * {@code auto} takes the fastest backend that runs and says which in {@link Choice#reason()}.
 */
public final class Backends {
  /** System property naming the backend. */
  public static final String BACKEND_PROPERTY = "slimj.backend";

  /** System property giving the thread count. */
  public static final String THREADS_PROPERTY = "slimj.threads";

  private Backends() {}

  /**
   * The chosen backend and a one-line reason to log once.
   *
   * @param kernels the backend
   * @param reason why it was chosen
   */
  public record Choice(Kernels kernels, String reason) {}

  /** The backend named by {@code slimj.backend} (default auto) with {@code slimj.threads} threads. */
  public static Choice fromSystemProperties() {
    String name = System.getProperty(BACKEND_PROPERTY, "auto");
    String t = System.getProperty(THREADS_PROPERTY);
    int threads = defaultThreads();
    if (t != null) {
      try {
        threads = Integer.parseInt(t.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            THREADS_PROPERTY + ": expected a whole number of threads, found '" + t + "'", e);
      }
    }
    return choose(name, threads);
  }

  /** Threads to use when none are asked for: the processors available to the JVM. */
  public static int defaultThreads() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** Whether the Vector API is usable with vectors of at least 4 floats on this JVM and CPU. */
  public static boolean vectorAvailable() {
    try {
      return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length() >= 4;
    } catch (LinkageError e) {
      return false;
    }
  }

  /** Builds the backend {@code name} with {@code threads} threads. */
  public static Choice choose(String name, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads: expected at least 1, found " + threads);
    }
    String n = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
    switch (n) {
      case "scalar":
        return new Choice(new ScalarKernels(), "backend scalar (asked for; single-threaded reference)");
      case "vector":
        if (!vectorAvailable()) {
          throw new IllegalStateException(
              "backend vector asked for, but the Vector API is not usable here (run with --add-modules"
                  + " jdk.incubator.vector on JDK 25)");
        }
        return new Choice(new VectorKernels(new Parallel(threads)),
            "backend vector (asked for), " + threads + " thread(s), " + VectorKernels.describeSpecies());
      case "native":
        throw new IllegalStateException(
            "backend native asked for, but no native kernel library is built into this slimj");
      case "auto":
        if (vectorAvailable()) {
          return new Choice(new VectorKernels(new Parallel(threads)),
              "backend vector (auto), " + threads + " thread(s), " + VectorKernels.describeSpecies());
        }
        return new Choice(new ScalarKernels(), "backend scalar (auto: Vector API not usable here)");
      default:
        throw new IllegalArgumentException(
            "backend: expected one of auto, scalar, vector, native; found '" + name + "'");
    }
  }
}
