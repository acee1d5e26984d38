package org.slimj.distributed;

import java.time.Duration;

/**
 * How long the Hazelcast collective waits before it fails instead of hanging.
 *
 * @param join longest wait for every member to join (and register) at start
 * @param operation longest wait inside one operation for a live rank's data (a rank may be busy, e.g.
 *     rank 0 validating while the others wait at the next step)
 * @param heartbeat a member silent this long is declared dead and every operation waiting on it fails
 */
public record CollectiveTimeouts(Duration join, Duration operation, Duration heartbeat) {
  /** Defaults for real jobs: 2 minutes to join, 30 minutes of waiting, 15 s without heartbeat. */
  public static final CollectiveTimeouts DEFAULTS =
      new CollectiveTimeouts(Duration.ofMinutes(2), Duration.ofMinutes(30), Duration.ofSeconds(15));

  /** Checks that every duration is positive and the heartbeat at least 2 s (Hazelcast's granularity is 1 s). */
  public CollectiveTimeouts {
    if (join.isNegative() || join.isZero() || operation.isNegative() || operation.isZero() || heartbeat.toSeconds() < 2) {
      throw new IllegalArgumentException("collective timeouts: expected positive join and operation timeouts and a heartbeat of at"
          + " least 2 s, found join " + join + ", operation " + operation + ", heartbeat " + heartbeat);
    }
  }
}
