package org.slimj.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slimj.engine.dist.Collective;
import org.slimj.engine.dist.CollectiveException;

/**
 * Two Hazelcast members in this JVM on loopback ports, one per rank: all-reduce, broadcast and
 * barrier give bit-identical results on both ranks, and a member that dies mid-operation makes the
 * other fail within a bounded time with an error naming the dead rank and its address.
 */
class HazelcastCollectiveTest {
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");
  private static final CollectiveTimeouts TIMEOUTS =
      new CollectiveTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(4));
  private static final List<HazelcastCollective> PAIR = new ArrayList<>();
  private static final ExecutorService POOL = Executors.newFixedThreadPool(2);

  @BeforeAll
  static void startPair() throws Exception {
    HAZELCAST_LOG.setLevel(Level.WARNING);
    PAIR.addAll(start(2, "slimj-test-pair"));
  }

  @AfterAll
  static void stopPair() throws Exception {
    onBoth(c -> {
      c.barrier();
      return null;
    });
    for (HazelcastCollective c : PAIR) {
      c.close();
    }
    POOL.shutdownNow();
  }

  /** Free loopback ports, one per rank. */
  static List<InetSocketAddress> loopbackPorts(int n) throws IOException {
    List<InetSocketAddress> out = new ArrayList<>();
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(s);
        out.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort()));
      }
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
    return out;
  }

  /** Starts {@code n} members in parallel (each join waits for the others). */
  static List<HazelcastCollective> start(int n, String cluster) throws Exception {
    List<InetSocketAddress> members = loopbackPorts(n);
    ExecutorService starters = Executors.newFixedThreadPool(n);
    try {
      List<Future<HazelcastCollective>> fs = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        ClusterSpec spec = new ClusterSpec(members, r, cluster);
        fs.add(starters.submit(() -> HazelcastCollective.join(spec, TIMEOUTS)));
      }
      List<HazelcastCollective> out = new ArrayList<>();
      for (Future<HazelcastCollective> f : fs) {
        out.add(f.get(90, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      starters.shutdownNow();
    }
  }

  private static <T> List<T> onBoth(Function<Collective, T> body) throws Exception {
    List<Future<T>> fs = new ArrayList<>();
    for (HazelcastCollective c : PAIR) {
      fs.add(POOL.submit(() -> body.apply(c)));
    }
    List<T> out = new ArrayList<>();
    for (Future<T> f : fs) {
      out.add(f.get(60, TimeUnit.SECONDS));
    }
    return out;
  }

  @Test
  void allReduceIsTheRankOrderSumAndBitIdenticalOnBothRanks() throws Exception {
    int n = 100_003;
    float[][] in = new float[2][n];
    SplittableRandom rng = new SplittableRandom(5);
    for (int r = 0; r < 2; r++) {
      for (int i = 0; i < n; i++) {
        in[r][i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(-6, 7)));
      }
    }
    in[0][7] = 1e8f;
    in[1][7] = 1f;
    List<float[]> out = onBoth(c -> {
      float[] x = in[c.rank()].clone();
      c.allReduceSum(x);
      c.allReduceSum(x); // twice: the second sums two equal arrays
      return x;
    });
    assertArrayEquals(out.get(0), out.get(1), "both ranks must hold the same bits");
    for (int i = 0; i < n; i++) {
      float once = in[0][i] + in[1][i];
      assertEquals(Float.floatToRawIntBits(once + once), Float.floatToRawIntBits(out.get(0)[i]), "element " + i);
    }
  }

  @Test
  void broadcastAndBarrier() throws Exception {
    List<float[]> out = onBoth(c -> {
      float[] x = {c.rank() + 0.5f, -c.rank(), 3f};
      c.broadcast(x, 1);
      c.barrier();
      return x;
    });
    assertArrayEquals(new float[] {1.5f, -1f, 3f}, out.get(0));
    assertArrayEquals(out.get(0), out.get(1));
  }

  @Test
  void mismatchedLengthsFailOnBothRanksNamingTheOtherRank() throws Exception {
    List<String> out = onBoth(c -> assertThrows(CollectiveException.class,
        () -> c.allReduceSum(new float[c.rank() == 0 ? 3 : 4])).getMessage());
    assertTrue(out.get(0).contains("expected an array of 3 values") && out.get(0).contains("found 4")
        && out.get(0).contains("from rank 1"), out.get(0));
    assertTrue(out.get(1).contains("expected an array of 4 values") && out.get(1).contains("found 3")
        && out.get(1).contains("from rank 0"), out.get(1));
  }

  @Test
  void aMemberKilledMidOperationFailsTheOtherWithinBoundedTime() throws Exception {
    List<HazelcastCollective> pair = start(2, "slimj-test-kill");
    HazelcastCollective survivor = pair.get(0);
    HazelcastCollective victim = pair.get(1);
    String victimAddress = "127.0.0.1:" + victim.hazelcast().getCluster().getLocalMember().getSocketAddress().getPort();
    ExecutorService one = Executors.newSingleThreadExecutor();
    try {
      long t0 = System.nanoTime();
      Future<CollectiveException> waiting = one.submit(
          () -> assertThrows(CollectiveException.class, () -> survivor.allReduceSum(new float[10_000])));
      Thread.sleep(300);
      victim.hazelcast().getLifecycleService().terminate();
      CollectiveException e = waiting.get(60, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("the survivor failed after %.1f s: %s%n", seconds, e.getMessage());
      assertTrue(seconds < 25, "the survivor should fail within about the heartbeat timeout, took " + seconds + " s");
      assertTrue(e.getMessage().contains("rank 1") && e.getMessage().contains(victimAddress),
          "the error should name rank 1 at " + victimAddress + ": " + e.getMessage());
    } finally {
      one.shutdownNow();
      survivor.close();
    }
  }
}
