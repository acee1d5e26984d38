package org.slimj.engine.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The in-process collective: rank-order sums, broadcast, length checks and failing ranks. */
class LocalCollectiveTest {
  /** Runs {@code body} on every rank of a fresh group of {@code size}, one thread each; returns their results. */
  static <T> List<T> onRanks(int size, Duration timeout, Function<Collective, T> body) throws Exception {
    List<Collective> ranks = LocalCollective.group(size, timeout);
    ExecutorService pool = Executors.newFixedThreadPool(size);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Collective c : ranks) {
        futures.add(pool.submit(() -> body.apply(c)));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get(60, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void allReduceSumsInRankOrderOnEveryRank() throws Exception {
    int size = 3;
    // 1e8 + 1 - 1e8 is 0 in rank order ((1e8 + 1) - 1e8) but 1 in another order: the order shows.
    float[][] inputs = {{1e8f, 2f, 0.1f}, {1f, 3f, 0.2f}, {-1e8f, 4f, 0.3f}};
    List<float[]> out = onRanks(size, Duration.ofSeconds(20), c -> {
      float[] x = inputs[c.rank()].clone();
      c.allReduceSum(x);
      return x;
    });
    float[] expected = new float[3];
    for (int i = 0; i < 3; i++) {
      expected[i] = (inputs[0][i] + inputs[1][i]) + inputs[2][i];
    }
    assertEquals(0f, expected[0], "rank-order sum of 1e8, 1, -1e8 in float");
    for (int r = 0; r < size; r++) {
      assertArrayEquals(expected, out.get(r), "rank " + r);
    }
  }

  @Test
  void broadcastCopiesTheRootsArray() throws Exception {
    List<float[]> out = onRanks(3, Duration.ofSeconds(20), c -> {
      float[] x = {c.rank(), 10f * c.rank()};
      c.broadcast(x, 1);
      c.barrier();
      return x;
    });
    for (float[] x : out) {
      assertArrayEquals(new float[] {1f, 10f}, x);
    }
  }

  @Test
  void mismatchedLengthsFailOnEveryRankNamingTheRank() throws Exception {
    List<String> out = onRanks(2, Duration.ofSeconds(20), c -> {
      CollectiveException e = assertThrows(CollectiveException.class,
          () -> c.allReduceSum(new float[c.rank() == 0 ? 4 : 5]));
      return e.getMessage();
    });
    for (String m : out) {
      assertTrue(m.contains("length 4") && m.contains("found 5 at rank 1"), m);
    }
  }

  @Test
  void aRankThatNeverArrivesTimesOutAndAClosedRankFailsTheOthers() throws Exception {
    long t0 = System.nanoTime();
    List<String> out = onRanks(2, Duration.ofMillis(300), c -> {
      if (c.rank() == 1) {
        return "absent";
      }
      return assertThrows(CollectiveException.class, c::barrier).getMessage();
    });
    assertTrue(out.get(0).contains("not all 2 ranks arrived"), out.get(0));
    assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "the timeout must end the wait");

    List<String> closed = onRanks(2, Duration.ofSeconds(20), c -> {
      if (c.rank() == 1) {
        c.close();
        return "closed";
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return assertThrows(CollectiveException.class, () -> c.allReduceSum(new float[1])).getMessage();
    });
    assertTrue(closed.get(0).contains("rank 1") && closed.get(0).contains("closed"), closed.get(0));
  }
}
