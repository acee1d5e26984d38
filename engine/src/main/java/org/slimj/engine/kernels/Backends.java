package org.slimj.engine.kernels;

import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Chooses the kernel backend once, from a name ({@code auto|scalar|vector|native}) and a thread
 * count. A backend asked for by name that cannot run here is an error, never a silent fallback;
 * {@code auto} takes the fastest backend that runs and says which in {@link Choice#reason()}.
 *
 * <p>{@code native} comes from a {@link KernelsProvider} found with {@link ServiceLoader} (the
 * {@code slimj-kernels-native} jar on the class path). {@code auto} takes it when it is available
 * and says it is {@linkplain KernelsProvider#preferredByAuto() preferred}, else the Vector API, else
 * the scalar reference.
 */
public final class Backends {
  /** System property naming the backend. */
  public static final String BACKEND_PROPERTY = "slimj.backend";

  /** Name of the backend a {@link KernelsProvider} supplies. */
  static final String NATIVE = "native";

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

  /** Whether the backend {@code native} is on the class path and runs on this machine. */
  public static boolean nativeAvailable() {
    KernelsProvider p = provider(NATIVE);
    return p != null && p.available();
  }

  /**
   * A backend together with the worker pool it runs on, which its owner closes when done (e.g. a
   * predictor that owns its threads).
   *
   * @param kernels the backend
   * @param reason why it was chosen
   * @param pool the backend's workers (closed by {@link #close()})
   */
  public record Owned(Kernels kernels, String reason, Parallel pool) implements AutoCloseable {
    /** Stops the backend's workers. */
    @Override
    public void close() {
      pool.close();
    }
  }

  /** {@link #choose} with a worker pool the caller owns and closes. */
  public static Owned open(String name, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads: expected at least 1, found " + threads);
    }
    Parallel pool = new Parallel(threads);
    try {
      Choice c = choose(name, threads, () -> pool);
      return new Owned(c.kernels(), c.reason(), pool);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /** Builds the backend {@code name} with {@code threads} threads. */
  public static Choice choose(String name, int threads) {
    return choose(name, threads, () -> new Parallel(threads));
  }

  private static Choice choose(String name, int threads, java.util.function.Supplier<Parallel> pools) {
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
        return new Choice(new VectorKernels(pools.get()),
            "backend vector (asked for), " + threads + " thread(s), " + VectorKernels.describeSpecies());
      case "native": {
        KernelsProvider p = provider(NATIVE);
        if (p == null) {
          throw new IllegalStateException("backend native asked for, but no native kernel library is in this build"
              + " (slimj-kernels-native is not on the class path)");
        }
        if (!p.available()) {
          throw new IllegalStateException("backend native asked for, but it cannot run here: " + p.reason());
        }
        return new Choice(p.create(pools.get()),
            "backend native (asked for), " + threads + " thread(s), " + p.reason());
      }
      case "auto":
        return auto(threads, pools);
      default:
        throw new IllegalArgumentException(
            "backend: expected one of auto, scalar, vector, native; found '" + name + "'");
    }
  }

  private static Choice auto(int threads, java.util.function.Supplier<Parallel> pools) {
    KernelsProvider p = provider(NATIVE);
    String nativeNote;
    if (p == null) {
      nativeNote = "native: not in this build";
    } else if (!p.available()) {
      nativeNote = "native: " + p.reason();
    } else if (p.preferredByAuto()) {
      return new Choice(p.create(pools.get()), "backend native (auto), " + threads + " thread(s), "
          + p.reason());
    } else {
      nativeNote = "native available but not preferred, ask for it with --backend native: " + p.reason();
    }
    if (vectorAvailable()) {
      return new Choice(new VectorKernels(pools.get()), "backend vector (auto), " + threads
          + " thread(s), " + VectorKernels.describeSpecies() + "; " + nativeNote);
    }
    return new Choice(new ScalarKernels(), "backend scalar (auto: Vector API not usable here; " + nativeNote + ")");
  }

  /** The provider of backend {@code name} on the class path, or null if there is none. */
  static KernelsProvider provider(String name) {
    for (KernelsProvider p : ServiceLoader.load(KernelsProvider.class)) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    return null;
  }
}
