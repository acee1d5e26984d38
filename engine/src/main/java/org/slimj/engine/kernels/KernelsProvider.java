package org.slimj.engine.kernels;

/**
 * A kernel backend that lives outside the engine (the JNI kernels of {@code slimj-kernels-native}),
 * found at run time with {@link java.util.ServiceLoader} by {@link Backends}. An implementation is
 * registered in {@code META-INF/services/org.slimj.engine.kernels.KernelsProvider}, must have a
 * public no-argument constructor that does not throw, and decides once, when first asked, whether
 * it can run on this machine.
 */
public interface KernelsProvider {

  /** The backend name users ask for ({@code native}). */
  String name();

  /** Whether {@link #create} works here: the library is in this build, loads, and the CPU runs it. */
  boolean available();

  /**
   * One line saying why the backend is unavailable (no library in this build, the CPU lacks an
   * instruction set, the library failed to load: message), or, when it is available, what it runs
   * (instruction set, where the library came from).
   */
  String reason();

  /**
   * Whether {@code auto} should take this backend over the Vector API when it is available; a
   * provider answers true only where it has measured itself faster.
   */
  boolean preferredByAuto();

  /**
   * A backend that splits work over {@code parallel} (which it does not close).
   *
   * @throws IllegalStateException if the backend is not {@link #available()}, with the reason
   */
  Kernels create(Parallel parallel);
}
