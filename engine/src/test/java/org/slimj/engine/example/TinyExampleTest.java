package org.slimj.engine.example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.slimj.engine.kernels.Backends;

/**
 * The first end-to-end run: a small universally slimmable CNN trained for a few hundred sandwich
 * steps reaches at least 95% training accuracy at both its smallest and its largest width.
 */
class TinyExampleTest {
  @Test
  void sandwichTrainingReachesNinetyFivePercentAtSmallestAndLargestWidth() {
    long seed = 1;
    TinyExample.Result r = TinyExample.run(
        TinyExample.Settings.defaults(seed), Backends.choose("vector", 2).kernels(), s -> {});
    TinyExample.WidthResult min = r.widths().get(0);
    TinyExample.WidthResult max = r.widths().get(r.widths().size() - 1);
    String msg = "seed " + seed + ": " + r.widths();
    assertTrue(min.width() < 0.3 && max.width() == 1.0, msg);
    assertTrue(min.accuracy() >= 0.95, "smallest width below 95%: " + msg);
    assertTrue(max.accuracy() >= 0.95, "largest width below 95%: " + msg);
  }
}
