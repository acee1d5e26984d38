package org.slimj.distributed;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One piece of a collective operation as it travels between ranks: which operation ({@code seq},
 * counted alike on every rank), which phase, who sent it, the sender's whole array length (to
 * catch ranks that disagree) and a run of floats. Encoded as little-endian bytes, which Hazelcast
 * stores without further serialization.
 *
 * @param seq operation number
 * @param phase {@link #REDUCE}, {@link #GATHER}, {@link #BROADCAST} or {@link #BARRIER}
 * @param sender sending rank
 * @param length length of the sender's whole array
 * @param values the floats carried
 */
record Message(long seq, int phase, int sender, int length, float[] values) {
  /** A chunk to be summed by its owner (reduce-scatter). */
  static final int REDUCE = 0;
  /** A summed chunk sent back by its owner (all-gather). */
  static final int GATHER = 1;
  /** The root's whole array. */
  static final int BROADCAST = 2;
  /** An empty arrival notice. */
  static final int BARRIER = 3;

  private static final int HEADER = 8 + 4 + 4 + 4 + 4;

  /** The bytes of a message carrying {@code values[from, to)}. */
  static byte[] encode(long seq, int phase, int sender, float[] values, int from, int to) {
    ByteBuffer b = ByteBuffer.allocate(HEADER + 4 * (to - from)).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(seq).putInt(phase).putInt(sender).putInt(values.length).putInt(to - from);
    b.asFloatBuffer().put(values, from, to - from);
    return b.array();
  }

  /** Decodes bytes made by {@link #encode}. */
  static Message decode(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long seq = b.getLong();
    int phase = b.getInt();
    int sender = b.getInt();
    int length = b.getInt();
    int count = b.getInt();
    if (count < 0 || bytes.length != HEADER + 4L * count) {
      throw new IllegalStateException("collective message: expected " + (HEADER + 4L * count) + " bytes for " + count
          + " floats, found " + bytes.length);
    }
    float[] v = new float[count];
    b.position(HEADER);
    b.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return new Message(seq, phase, sender, length, v);
  }

  /** The name of {@code phase}, for messages. */
  static String phaseName(int phase) {
    return switch (phase) {
      case REDUCE -> "reduce-scatter";
      case GATHER -> "all-gather";
      case BROADCAST -> "broadcast";
      case BARRIER -> "barrier";
      default -> "phase " + phase;
    };
  }
}
