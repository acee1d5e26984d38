package org.slimj.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Forked JMH JVMs get the production flags, appended to any {@code -jvmArgsAppend} given. */
class JmhCommandTest {
  private static final String FLAGS =
      "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow";

  @Test
  void addsTheFlagsWhenNoneAreGiven() {
    assertEquals(List.of("LayerBench", "-f", "1", "-jvmArgsAppend", FLAGS),
        JmhCommand.withForkFlags(List.of("LayerBench", "-f", "1")));
  }

  @Test
  void appendsToTheFlagsGiven() {
    assertEquals(List.of("-jvmArgsAppend", "-Xmx2g " + FLAGS, "X"),
        JmhCommand.withForkFlags(List.of("-jvmArgsAppend", "-Xmx2g", "X")));
  }
}
