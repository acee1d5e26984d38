package org.slimj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Running out of memory ends with one line naming the heap limit and what to change, no stack trace. */
class OutOfMemoryAdviceTest {
  @Test
  void outOfMemoryBecomesOneLineOfAdvice() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(buf, true, StandardCharsets.UTF_8);
    long heap = 6L * 1024 * 1024 * 1024 + 300L * 1024 * 1024;
    int code = OutOfMemoryAdvice.run(() -> {
      throw new OutOfMemoryError("Java heap space");
    }, err, heap);
    String text = buf.toString(StandardCharsets.UTF_8);
    assertEquals(OutOfMemoryAdvice.EXIT_CODE, code);
    assertEquals(1, text.strip().lines().count(), text);
    assertTrue(text.contains("Java heap space") && text.contains("6.3 GB") && text.contains("--batch")
        && text.contains("-Xmx13g"), text);
  }

  @Test
  void otherOutcomesPassThrough() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    assertEquals(7, OutOfMemoryAdvice.run(() -> 7, new PrintStream(buf), 1L << 30));
    assertEquals(0, buf.size());
  }
}
