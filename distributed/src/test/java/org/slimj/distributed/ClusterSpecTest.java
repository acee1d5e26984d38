package org.slimj.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The member list: one host:port per rank, in order; what is refused says why. */
class ClusterSpecTest {
  @Test
  void parsesOneAddressPerRankInOrder() {
    ClusterSpec s = ClusterSpec.parse("127.0.0.1:5701, 127.0.0.1:5702,localhost:5703", 2, "job");
    assertEquals(3, s.size());
    assertEquals(2, s.rank());
    assertEquals(5703, s.self().getPort());
    assertEquals("127.0.0.1:5702", s.address(1));
  }

  @Test
  void refusesRangesDuplicatesBadPortsAndRanks() {
    String range = assertThrows(IllegalArgumentException.class,
        () -> ClusterSpec.parse("127.0.0.1:5701-5703", 0, "j")).getMessage();
    assertTrue(range.contains("port range '127.0.0.1:5701-5703'"), range);
    String dup = assertThrows(IllegalArgumentException.class,
        () -> ClusterSpec.parse("127.0.0.1:5701,127.0.0.1:5701", 0, "j")).getMessage();
    assertTrue(dup.contains("twice"), dup);
    String port = assertThrows(IllegalArgumentException.class,
        () -> ClusterSpec.parse("127.0.0.1:70000", 0, "j")).getMessage();
    assertTrue(port.contains("found 70000"), port);
    String noPort = assertThrows(IllegalArgumentException.class,
        () -> ClusterSpec.parse("127.0.0.1", 0, "j")).getMessage();
    assertTrue(noPort.contains("expected host:port, found '127.0.0.1'"), noPort);
    String rank = assertThrows(IllegalArgumentException.class,
        () -> ClusterSpec.parse("127.0.0.1:5701,127.0.0.1:5702", 2, "j")).getMessage();
    assertTrue(rank.contains("rank in [0, 2)") && rank.contains("found rank 2"), rank);
  }
}
