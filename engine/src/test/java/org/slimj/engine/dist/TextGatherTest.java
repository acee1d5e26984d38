package org.slimj.engine.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Every rank gets every rank's text, byte for byte (UTF-8 beyond ASCII, empty texts, a long one). */
class TextGatherTest {
  @Test
  void everyRankGetsEveryText() throws Exception {
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      big.append((char) ('a' + i % 26)).append(i % 97 == 0 ? "é→€𝄞" : "");
    }
    List<String> texts = List.of("{\"platform\": \"rank 0\"}", "", big.toString());
    List<Collective> ranks = LocalCollective.group(3, Duration.ofSeconds(30));
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<List<String>>> got = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        Collective c = ranks.get(r);
        String mine = texts.get(r);
        got.add(pool.submit(() -> TextGather.all(c, mine)));
      }
      for (int r = 0; r < 3; r++) {
        assertEquals(texts, got.get(r).get(), "rank " + r);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
