package org.slimj.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The worker pool's chunking and error handling, and the backend choice. */
class ParallelAndBackendsTest {
  @Test
  void chunksCoverTheRangeOnceAndDependOnlyOnCountAndThreads() {
    try (Parallel p = new Parallel(3)) {
      for (int count : new int[] {1, 2, 3, 7, 100}) {
        AtomicIntegerArray hits = new AtomicIntegerArray(count);
        p.forRange(count, 1, (chunk, from, to) -> {
          assertEquals(Parallel.start(count, p.chunks(count, 1), chunk), from);
          for (int i = from; i < to; i++) {
            hits.incrementAndGet(i);
          }
        });
        for (int i = 0; i < count; i++) {
          assertEquals(1, hits.get(i), "count " + count + " index " + i);
        }
      }
    }
  }

  @Test
  void aFailingChunkFailsTheLoop() {
    try (Parallel p = new Parallel(2)) {
      var e = assertThrows(IllegalStateException.class, () -> p.forRange(10, 1, (c, f, t) -> {
        if (c == 1) {
          throw new IllegalStateException("boom in chunk 1");
        }
      }));
      assertEquals("boom in chunk 1", e.getMessage());
    }
  }

  @Test
  void tasksAreReusedAfterAFailureAndNestedLoopsRunInline() {
    try (Parallel p = new Parallel(3)) {
      assertThrows(IllegalArgumentException.class, () -> p.forRange(9, 1, (c, f, t) -> {
        throw new IllegalArgumentException("chunk " + c);
      }));
      for (int round = 0; round < 50; round++) {
        AtomicIntegerArray hits = new AtomicIntegerArray(12 * 12);
        // every chunk (the calling thread's chunk 0 too) runs a loop of its own
        p.forRange(12, 1, (c, from, to) -> {
          for (int i = from; i < to; i++) {
            int row = i;
            p.forRange(12, 1, (c2, f2, t2) -> {
              for (int j = f2; j < t2; j++) {
                hits.incrementAndGet(row * 12 + j);
              }
            });
          }
        });
        for (int i = 0; i < 12 * 12; i++) {
          assertEquals(1, hits.get(i), "round " + round + " cell " + i);
        }
      }
    }
  }

  @Test
  void backendChoice() {
    assertEquals("scalar", Backends.choose("scalar", 4).kernels().name());
    assertEquals("vector", Backends.choose("auto", 2).kernels().name(), "the Vector API runs in the tests' JVM");
    assertEquals(2, Backends.choose("vector", 2).kernels().threads());
    var bad = assertThrows(IllegalArgumentException.class, () -> Backends.choose("gpu", 1));
    assertTrue(bad.getMessage().contains("'gpu'"), bad.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Backends.choose("auto", 0));
  }

  @Test
  void nativeWithoutTheNativeModuleIsAnErrorAndAutoTakesVector() {
    // the engine's own tests run without slimj-kernels-native on the class path
    assertNull(Backends.provider("native"), "no KernelsProvider is registered in the engine module");
    var nat = assertThrows(IllegalStateException.class, () -> Backends.choose("native", 1));
    assertTrue(nat.getMessage().contains("no native kernel library is in this build"), nat.getMessage());
    assertTrue(nat.getMessage().contains("slimj-kernels-native"), nat.getMessage());
    Backends.Choice auto = Backends.choose("auto", 1);
    assertEquals("vector", auto.kernels().name());
    assertTrue(auto.reason().contains("native: not in this build"), auto.reason());
  }
}
