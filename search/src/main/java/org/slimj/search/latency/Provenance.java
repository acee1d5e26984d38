package org.slimj.search.latency;

/**
 * Where and how a latency table was measured, so a table from another machine can be used as a
 * platform and a table is never mistaken for one measured here.
 *
 * @param platform short platform name, used in the cost name {@code latency:<platform>}
 * @param jvm JVM version ({@code java.vm.version})
 * @param jvmVendor JVM vendor ({@code java.vm.vendor})
 * @param cpu CPU model (from {@code /proc/cpuinfo} where available)
 * @param os operating system and architecture
 * @param backend kernel backend ({@code scalar}, {@code vector}, {@code native})
 * @param threads worker threads of the backend
 * @param batch images per timed call
 * @param clock what was timed: {@code wall} (elapsed time, latency proper) or {@code thread-cpu} (CPU
 *     time of the calling thread of a 1-thread backend, which leaves out waiting for a core on a
 *     shared machine)
 * @param date ISO-8601 instant of the measurement
 * @param commit slimj commit the table was measured with ({@code unknown} outside a checkout)
 * @param method how the times were measured (harness, warm-up, iterations, grid)
 */
public record Provenance(
    String platform, String jvm, String jvmVendor, String cpu, String os, String backend, int threads, int batch,
    String clock, String date, String commit, String method) {

  public Provenance {
    if (platform == null || platform.isBlank() || platform.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("platform: expected a non-empty name without spaces, found '" + platform + "'");
    }
    if (threads < 1 || batch < 1) {
      throw new IllegalArgumentException("threads and batch: expected >= 1, found " + threads + " and " + batch);
    }
    if (!"wall".equals(clock) && !"thread-cpu".equals(clock)) {
      throw new IllegalArgumentException("clock: expected wall or thread-cpu, found '" + clock + "'");
    }
  }

  /**
   * Whether this table was measured on the machine and setup described by {@code here}: same CPU
   * model, JVM version, backend and thread count (batch may differ only if the caller allows it).
   */
  public boolean sameMachineAs(Provenance here) {
    return cpu.equals(here.cpu) && jvm.equals(here.jvm) && os.equals(here.os) && backend.equals(here.backend)
        && threads == here.threads;
  }
}
