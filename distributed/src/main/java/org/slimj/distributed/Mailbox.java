package org.slimj.distributed;

import com.hazelcast.collection.IQueue;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slimj.engine.dist.CollectiveException;

/**
 * This rank's incoming messages: a Hazelcast queue kept on this rank's own member, read only here.
 * Messages may arrive before they are wanted (a fast rank starts the next phase early), so those
 * are kept aside until asked for. A wait checks every 100 ms whether a member has left and fails at
 * once if one has, else after the operation's deadline.
 */
final class Mailbox {
  private record Key(long seq, int phase, int sender) {}

  private static final long POLL_MILLIS = 100;

  private final IQueue<byte[]> queue;
  private final Supplier<String> failure;
  private final Map<Key, Message> early = new HashMap<>();

  /** Reads {@code queue}; {@code failure} gives a description of a lost member, or null while all are there. */
  Mailbox(IQueue<byte[]> queue, Supplier<String> failure) {
    this.queue = queue;
    this.failure = failure;
  }

  /**
   * The message of operation {@code seq}, {@code phase}, from {@code sender}, waiting until {@code
   * deadline} ({@link System#nanoTime()}); {@code what} names the operation and the sender in errors.
   */
  Message take(long seq, int phase, int sender, long deadline, String what) {
    Key want = new Key(seq, phase, sender);
    Message m = early.remove(want);
    while (m == null) {
      // drain what has arrived before looking at failures: a rank may send its last message and
      // leave (a clean end) before this one reads it
      byte[] bytes;
      try {
        bytes = queue.poll();
        if (bytes == null) {
          String lost = failure.get();
          if (lost != null) {
            throw new CollectiveException(what + ": " + lost);
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new CollectiveException(what + ": no " + Message.phaseName(phase) + " data arrived in time (the"
                + " rank is alive but did not reach this operation; is it running the same job and step?)");
          }
          bytes = queue.poll(Math.min(POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CollectiveException(what + ": interrupted while waiting", e);
      } catch (CollectiveException e) {
        throw e;
      } catch (RuntimeException e) {
        String l = failure.get();
        throw new CollectiveException(what + ": reading this rank's mailbox failed" + (l != null ? " (" + l + ")" : ""), e);
      }
      if (bytes == null) {
        continue;
      }
      Message got = Message.decode(bytes);
      Key k = new Key(got.seq(), got.phase(), got.sender());
      if (k.equals(want)) {
        m = got;
      } else if (got.seq() < seq) {
        throw new CollectiveException(what + ": expected messages of operation #" + seq + " or later, found one of #"
            + got.seq() + " (" + Message.phaseName(got.phase()) + ") from rank " + got.sender());
      } else {
        early.put(k, got);
      }
    }
    return m;
  }
}
