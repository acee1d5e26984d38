package org.slimj.bench;

import java.util.List;

/**
 * The JVM flags of a production slimj run, as constants so that JMH's {@code @Fork} annotations and
 * the {@code ./slimj bench jmh} command pass the same ones to every forked JVM.
 */
public final class JvmFlags {
  private JvmFlags() {}

  /** Adds the incubating Vector API module (flag). */
  public static final String ADD_MODULES = "--add-modules";

  /** Adds the incubating Vector API module (value). */
  public static final String VECTOR_MODULE = "jdk.incubator.vector";

  /** Lets the JNI/FFM kernels load without warnings. */
  public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

  /** Quiets JMH's own sun.misc.Unsafe warnings on JDK 25. */
  public static final String UNSAFE_ALLOW = "--sun-misc-unsafe-memory-access=allow";

  /** All of them, in order. */
  public static final List<String> FORK_FLAGS = List.of(ADD_MODULES, VECTOR_MODULE, NATIVE_ACCESS, UNSAFE_ALLOW);
}
