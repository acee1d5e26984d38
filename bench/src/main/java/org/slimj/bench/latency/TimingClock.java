package org.slimj.bench.latency;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * What a latency measurement counts. {@link #WALL} is latency proper (elapsed time); {@link
 * #THREAD_CPU} is the CPU time of the calling thread, which on a machine shared with other work
 * leaves out the time the thread waited for a core. The CPU clock only measures a backend that runs
 * on the calling thread, so it requires one thread.
 */
public enum TimingClock {
  /** Elapsed time ({@link System#nanoTime()}). */
  WALL,
  /** CPU time of the calling thread ({@link ThreadMXBean#getCurrentThreadCpuTime()}); one-thread backends only. */
  THREAD_CPU;

  /** The clock named {@code name} ({@code wall} or {@code thread-cpu}). */
  public static TimingClock parse(String name) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "wall" -> WALL;
      case "thread-cpu", "cpu" -> THREAD_CPU;
      default -> throw new IllegalArgumentException("clock: expected wall or thread-cpu, found '" + name + "'");
    };
  }

  /** The name used in files and on the command line. */
  public String label() {
    return this == WALL ? "wall" : "thread-cpu";
  }

  /** Checks that this clock can time a backend of {@code threads} threads. */
  public void requireUsableWith(int threads) {
    if (this == THREAD_CPU && threads != 1) {
      throw new IllegalArgumentException(
          "clock thread-cpu counts only the calling thread, so it needs a 1-thread backend; found " + threads + " threads");
    }
    if (this == THREAD_CPU && !ManagementFactory.getThreadMXBean().isCurrentThreadCpuTimeSupported()) {
      throw new IllegalArgumentException("clock thread-cpu: this JVM cannot measure thread CPU time");
    }
  }

  /** Now, in nanoseconds on this clock (only differences are meaningful). */
  long nanos(ThreadMXBean bean) {
    return this == WALL ? System.nanoTime() : bean.getCurrentThreadCpuTime();
  }
}
