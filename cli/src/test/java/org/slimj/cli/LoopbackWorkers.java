package org.slimj.cli;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Tests of {@code --workers}: free loopback addresses, and one command per rank run in this JVM at once. */
public final class LoopbackWorkers {
  private LoopbackWorkers() {}

  /** {@code n} loopback host:port addresses, comma-separated, whose ports were free a moment ago. */
  public static String addresses(int n) throws Exception {
    List<ServerSocket> held = new ArrayList<>();
    try {
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < n; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(socket);
        s.append(i == 0 ? "" : ",").append("127.0.0.1:").append(socket.getLocalPort());
      }
      return s.toString();
    } finally {
      for (ServerSocket socket : held) {
        socket.close();
      }
    }
  }

  /**
   * Runs {@code ranks} CLI commands at once, rank r's arguments from {@code argsOfRank}, plus {@code
   * --workers ADDRESSES --rank r} and a cluster name of its own; returns each rank's run (in rank
   * order), failing if one takes longer than {@code timeoutSeconds}.
   */
  public static List<CliRun> run(int ranks, String cluster, long timeoutSeconds, IntFunction<String[]> argsOfRank)
      throws Exception {
    String workers = addresses(ranks);
    ExecutorService pool = Executors.newFixedThreadPool(ranks);
    try {
      List<Future<CliRun>> runs = new ArrayList<>();
      for (int r = 0; r < ranks; r++) {
        String[] base = argsOfRank.apply(r);
        String[] args = Arrays.copyOf(base, base.length + 6);
        System.arraycopy(new String[] {"--workers", workers, "--rank", Integer.toString(r), "--cluster-name", cluster},
            0, args, base.length, 6);
        runs.add(pool.submit(() -> CliRun.run(args)));
      }
      List<CliRun> out = new ArrayList<>();
      for (Future<CliRun> f : runs) {
        out.add(f.get(timeoutSeconds, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
