package org.slimj.distributed;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.collection.IQueue;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.slimj.engine.dist.Collective;
import org.slimj.engine.dist.CollectiveException;

/**
 * A {@link Collective} over Hazelcast members embedded in each worker's JVM, one member per rank.
 *
 * <p>Every rank owns a mailbox, a queue whose partition its own member owns (so reading it stays
 * local and a write is one transfer to the receiver). {@link #allReduceSum} is a reduce-scatter
 * then an all-gather: the array is cut into {@code size} chunks; rank j receives chunk j from
 * every rank, sums them in rank order and sends the sum back to every rank. Each rank sends and
 * receives about {@code 2·(size-1)/size} times the array, whatever the number of ranks, and since
 * each chunk is summed once, by its owner, every rank ends bit-identical.
 *
 * <p>A member that leaves (crash, shutdown, network loss detected by the heartbeat) makes every
 * waiting operation fail with a {@link CollectiveException} naming its rank and address.
 */
public final class HazelcastCollective implements Collective {
  private static final String MAILBOXES = HazelcastConfigs.PREFIX + "mailboxes";

  private final ClusterSpec spec;
  private final CollectiveTimeouts timeouts;
  private final HazelcastInstance hz;
  private final List<IQueue<byte[]>> outboxes = new ArrayList<>();
  private final Mailbox mailbox;
  private final UUID listener;
  private volatile String failure;
  private long seq;
  private boolean closed;

  private HazelcastCollective(ClusterSpec spec, CollectiveTimeouts timeouts) {
    this.spec = spec;
    this.timeouts = timeouts;
    this.hz = Hazelcast.newHazelcastInstance(HazelcastConfigs.member(spec, timeouts));
    UUID id = null;
    try {
      id = hz.getCluster().addMembershipListener(new MembershipListener() {
        @Override
        public void memberAdded(MembershipEvent e) {}

        @Override
        public void memberRemoved(MembershipEvent e) {
          if (failure == null) {
            failure = "rank " + rankAttribute(e.getMember()) + " (" + addressOf(e.getMember()) + ") left the cluster";
          }
        }
      });
      long deadline = System.nanoTime() + timeouts.join().toNanos();
      awaitMembers(deadline);
      String key = ownedKey(deadline);
      IMap<Integer, String> boxes = hz.getMap(MAILBOXES);
      String previous = boxes.putIfAbsent(spec.rank(), key);
      if (previous != null) {
        throw new CollectiveException(where() + ": expected to be the only member with rank " + spec.rank()
            + ", found its mailbox already registered (is another process running with --rank " + spec.rank() + "?)");
      }
      for (int r = 0; r < spec.size(); r++) {
        outboxes.add(hz.getQueue(queueName(r, awaitMailbox(boxes, r, deadline))));
      }
    } catch (RuntimeException e) {
      hz.getLifecycleService().terminate();
      throw e;
    }
    this.listener = id;
    this.mailbox = new Mailbox(outboxes.get(spec.rank()), () -> failure);
  }

  /**
   * Starts this rank's Hazelcast member, waits until every rank of {@code spec} has joined and
   * registered its mailbox, then synchronises them with a barrier.
   *
   * @throws CollectiveException if a member is missing after {@code timeouts.join()}, or a member's
   *     rank or address disagrees with {@code spec}
   */
  public static HazelcastCollective join(ClusterSpec spec, CollectiveTimeouts timeouts) {
    HazelcastCollective c = new HazelcastCollective(spec, timeouts);
    try {
      c.barrier();
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  @Override
  public int rank() {
    return spec.rank();
  }

  @Override
  public int size() {
    return spec.size();
  }

  @Override
  public void allReduceSum(float[] data) {
    long op = begin();
    String what = where() + ": allReduceSum #" + op;
    int n = spec.size();
    int me = spec.rank();
    long deadline = System.nanoTime() + timeouts.operation().toNanos();
    for (int k = 1; k < n; k++) {
      int to = (me + k) % n;
      send(to, Message.encode(op, Message.REDUCE, me, data, from(data.length, to), from(data.length, to + 1)), what);
    }
    int lo = from(data.length, me);
    int hi = from(data.length, me + 1);
    float[] sum = new float[hi - lo];
    for (int s = 0; s < n; s++) {
      float[] part;
      int off;
      if (s == me) {
        part = data;
        off = lo;
      } else {
        part = receive(op, Message.REDUCE, s, deadline, what, data.length, hi - lo).values();
        off = 0;
      }
      if (s == 0) {
        System.arraycopy(part, off, sum, 0, sum.length);
      } else {
        for (int i = 0; i < sum.length; i++) {
          sum[i] += part[off + i];
        }
      }
    }
    System.arraycopy(sum, 0, data, lo, sum.length);
    for (int k = 1; k < n; k++) {
      send((me + k) % n, Message.encode(op, Message.GATHER, me, data, lo, hi), what);
    }
    for (int k = 1; k < n; k++) {
      int s = (me + k) % n;
      int slo = from(data.length, s);
      int shi = from(data.length, s + 1);
      float[] part = receive(op, Message.GATHER, s, deadline, what, data.length, shi - slo).values();
      System.arraycopy(part, 0, data, slo, part.length);
    }
  }

  @Override
  public void broadcast(float[] data, int root) {
    if (root < 0 || root >= spec.size()) {
      throw new IllegalArgumentException("broadcast: expected a root rank in [0, " + spec.size() + "), found " + root);
    }
    long op = begin();
    String what = where() + ": broadcast #" + op + " from rank " + root;
    if (spec.rank() == root) {
      byte[] msg = Message.encode(op, Message.BROADCAST, root, data, 0, data.length);
      for (int r = 0; r < spec.size(); r++) {
        if (r != root) {
          send(r, msg, what);
        }
      }
    } else {
      long deadline = System.nanoTime() + timeouts.operation().toNanos();
      float[] v = receive(op, Message.BROADCAST, root, deadline, what, data.length, data.length).values();
      System.arraycopy(v, 0, data, 0, v.length);
    }
  }

  @Override
  public void barrier() {
    long op = begin();
    String what = where() + ": barrier #" + op;
    byte[] msg = Message.encode(op, Message.BARRIER, spec.rank(), new float[0], 0, 0);
    for (int r = 0; r < spec.size(); r++) {
      if (r != spec.rank()) {
        send(r, msg, what);
      }
    }
    long deadline = System.nanoTime() + timeouts.operation().toNanos();
    for (int r = 0; r < spec.size(); r++) {
      if (r != spec.rank()) {
        receive(op, Message.BARRIER, r, deadline, what, 0, 0);
      }
    }
  }

  /** Shuts this rank's member down gracefully (call {@link #barrier()} first so no rank is still waiting on it). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (listener != null && hz.getLifecycleService().isRunning()) {
      hz.getCluster().removeMembershipListener(listener);
    }
    hz.shutdown();
  }

  /** The embedded member (tests use it to kill a rank). */
  HazelcastInstance hazelcast() {
    return hz;
  }

  private long begin() {
    if (closed) {
      throw new CollectiveException(where() + ": the collective is closed");
    }
    return seq++;
  }

  private String where() {
    return "Hazelcast collective, rank " + spec.rank() + " of " + spec.size() + " (" + spec.address(spec.rank()) + ")";
  }

  /** First index of chunk {@code j} of an array of {@code length}. */
  private int from(int length, int j) {
    return (int) ((long) j * length / spec.size());
  }

  private void send(int to, byte[] msg, String what) {
    String lost = failure;
    if (lost != null) {
      throw new CollectiveException(what + ": " + lost);
    }
    boolean ok;
    try {
      ok = outboxes.get(to).offer(msg);
    } catch (RuntimeException e) {
      String l = failure;
      throw new CollectiveException(what + ": sending to rank " + to + " (" + spec.address(to) + ") failed"
          + (l != null ? ": " + l : ""), e);
    }
    if (!ok) {
      throw new CollectiveException(what + ": rank " + to + "'s mailbox refused a message (queue full)");
    }
  }

  private Message receive(long op, int phase, int sender, long deadline, String what, int length, int count) {
    Message m = mailbox.take(op, phase, sender, deadline, what + ", waiting for rank " + sender + " ("
        + spec.address(sender) + ")");
    if (m.length() != length || m.values().length != count) {
      throw new CollectiveException(what + ": expected an array of " + length + " values (" + count + " in this "
          + Message.phaseName(phase) + " piece), found " + m.length() + " (" + m.values().length + ") from rank " + sender);
    }
    return m;
  }

  private void awaitMembers(long deadline) {
    while (true) {
      Set<Member> members = hz.getCluster().getMembers();
      if (members.size() >= spec.size()) {
        checkMembers(members);
        return;
      }
      if (System.nanoTime() > deadline) {
        Set<String> present = new TreeSet<>();
        for (Member m : members) {
          present.add(rankAttribute(m));
        }
        List<String> missing = new ArrayList<>();
        for (int r = 0; r < spec.size(); r++) {
          if (!present.contains(Integer.toString(r))) {
            missing.add("rank " + r + " at " + spec.address(r));
          }
        }
        throw new CollectiveException(where() + ": expected " + spec.size() + " members within " + timeouts.join()
            + ", found " + members.size() + "; missing " + missing);
      }
      sleep(100);
    }
  }

  private void checkMembers(Set<Member> members) {
    if (members.size() != spec.size()) {
      throw new CollectiveException(where() + ": expected " + spec.size() + " members in cluster '" + spec.clusterName()
          + "', found " + members.size() + ": " + members);
    }
    Set<Integer> ranks = new TreeSet<>();
    for (Member m : members) {
      int r;
      try {
        r = Integer.parseInt(rankAttribute(m));
      } catch (NumberFormatException e) {
        throw new CollectiveException(where() + ": expected every member to carry its rank, found '" + rankAttribute(m)
            + "' at " + addressOf(m) + " (a member of another program in cluster '" + spec.clusterName() + "'?)", e);
      }
      if (r < 0 || r >= spec.size() || !ranks.add(r)) {
        throw new CollectiveException(where() + ": expected ranks 0.." + (spec.size() - 1) + " once each, found rank "
            + r + " at " + addressOf(m) + " (members " + members + ")");
      }
      InetSocketAddress a = m.getSocketAddress();
      InetSocketAddress expected = spec.members().get(r);
      if (a.getPort() != expected.getPort() || !a.getAddress().equals(expected.getAddress())) {
        throw new CollectiveException(where() + ": expected rank " + r + " at " + spec.address(r) + ", found it at "
            + addressOf(m) + " (every process must get the same --workers list)");
      }
    }
  }

  /** A key whose partition this member owns, so this rank's mailbox lives here. */
  private String ownedKey(long deadline) {
    while (!hz.getPartitionService().isClusterSafe() && System.nanoTime() < deadline) {
      sleep(50);
    }
    for (int i = 0; i < 100_000; i++) {
      String key = "rank" + spec.rank() + "." + i;
      Member owner = hz.getPartitionService().getPartition(key).getOwner();
      if (owner != null && owner.localMember()) {
        return key;
      }
    }
    // correctness does not depend on where the queue lives, only the cost of reading it
    return "rank" + spec.rank();
  }

  private String awaitMailbox(IMap<Integer, String> boxes, int r, long deadline) {
    while (true) {
      String key = boxes.get(r);
      if (key != null) {
        return key;
      }
      String lost = failure;
      if (lost != null) {
        throw new CollectiveException(where() + ": waiting for rank " + r + " to register: " + lost);
      }
      if (System.nanoTime() > deadline) {
        throw new CollectiveException(where() + ": rank " + r + " (" + spec.address(r) + ") joined but did not register"
            + " its mailbox within " + timeouts.join());
      }
      sleep(20);
    }
  }

  private static String queueName(int rank, String key) {
    return HazelcastConfigs.PREFIX + "mailbox." + rank + "@" + key;
  }

  /** The rank a member announced, as text ({@code "?"} if it has none). */
  private static String rankAttribute(Member m) {
    String r = m.getAttribute(HazelcastConfigs.RANK_ATTRIBUTE);
    return r == null ? "?" : r;
  }

  private static String addressOf(Member m) {
    InetSocketAddress a = m.getSocketAddress();
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CollectiveException("Hazelcast collective: interrupted while joining", e);
    }
  }
}
