package org.slimj.engine.infer;

import java.util.concurrent.ConcurrentLinkedDeque;
import org.slimj.engine.autograd.Arena;

/**
 * Scratch arenas for concurrent inference: a call takes one for itself (a new one only when all
 * are busy), runs, copies its result out and gives the arena back reset. So there are never more
 * arenas than concurrent calls, no two calls share one, and steady-state calls allocate no
 * activation memory.
 */
final class ArenaPool {
  private final ConcurrentLinkedDeque<Arena> free = new ConcurrentLinkedDeque<>();

  /** An arena for the caller's exclusive use until {@link #give}. */
  Arena take() {
    Arena a = free.pollFirst();
    return a != null ? a : new Arena();
  }

  /** Resets {@code a} and makes it available again. */
  void give(Arena a) {
    a.reset();
    free.offerFirst(a);
  }

  /** Floats allocated by all idle arenas so far (for tests of the steady state). */
  long allocatedFloats() {
    long s = 0;
    for (Arena a : free) {
      s += a.allocatedFloats();
    }
    return s;
  }
}
