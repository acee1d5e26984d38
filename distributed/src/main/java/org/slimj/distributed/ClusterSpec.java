package org.slimj.distributed;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who takes part in a data-parallel job: the members' addresses, one {@code host:port} per rank in
 * rank order (rank r listens on {@code members().get(r)}), this process's rank, and the Hazelcast
 * cluster name that keeps other jobs' members out.
 *
 * @param members one address per rank, in rank order, all different
 * @param rank this process's rank, in {@code [0, members.size())}
 * @param clusterName Hazelcast cluster name shared by the members of this job
 */
public record ClusterSpec(List<InetSocketAddress> members, int rank, String clusterName) {
  /** Default cluster name. */
  public static final String DEFAULT_CLUSTER_NAME = "slimj";

  /** Checks the fields. */
  public ClusterSpec {
    members = List.copyOf(members);
    if (members.isEmpty() || rank < 0 || rank >= members.size()) {
      throw new IllegalArgumentException("cluster: expected a rank in [0, " + members.size() + ") for " + members.size()
          + " member(s), found rank " + rank);
    }
    Set<InetSocketAddress> seen = new HashSet<>();
    for (InetSocketAddress a : members) {
      if (!seen.add(a)) {
        throw new IllegalArgumentException("cluster: expected every member address once, found " + a + " twice in "
            + members);
      }
    }
    if (clusterName == null || clusterName.isBlank()) {
      throw new IllegalArgumentException("cluster: expected a non-empty cluster name, found '" + clusterName + "'");
    }
  }

  /**
   * Parses {@code host:port,host:port,...} (one address per rank, no port ranges) for rank {@code
   * rank}.
   */
  public static ClusterSpec parse(String workers, int rank, String clusterName) {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String part : workers.split(",", -1)) {
      String s = part.trim();
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || colon == s.length() - 1) {
        throw new IllegalArgumentException("--workers: expected host:port, found '" + s + "' in '" + workers + "'");
      }
      String host = s.substring(0, colon);
      String port = s.substring(colon + 1);
      if (port.contains("-")) {
        throw new IllegalArgumentException("--workers: expected one port per member (host:port, one per rank),"
            + " found the port range '" + s + "'");
      }
      int p;
      try {
        p = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--workers: expected a port number in '" + s + "', found '" + port + "'", e);
      }
      if (p < 1 || p > 65535) {
        throw new IllegalArgumentException("--workers: expected a port in [1, 65535], found " + p + " in '" + s + "'");
      }
      InetSocketAddress a = new InetSocketAddress(host, p);
      if (a.isUnresolved()) {
        throw new IllegalArgumentException("--workers: cannot resolve host '" + host + "' of '" + s + "'");
      }
      out.add(a);
    }
    return new ClusterSpec(out, rank, clusterName);
  }

  /** Number of ranks. */
  public int size() {
    return members.size();
  }

  /** This rank's address. */
  public InetSocketAddress self() {
    return members.get(rank);
  }

  /** {@code host:port} of rank {@code r}, as written in messages. */
  public String address(int r) {
    InetSocketAddress a = members.get(r);
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }
}
