package org.slimj.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one atomic file write: old or new content, never a part, and no temporary files left behind. */
class AtomicFilesTest {
  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aWriteRemovesTheStaleTemporaryFilesOfItsTargetOnly(@TempDir Path dir) throws IOException {
    Path target = dir.resolve("checkpoint.safetensors");
    Files.createFile(dir.resolve("checkpoint.safetensors.tmp-1f2e")); // a kill -9 during the first write
    Files.writeString(dir.resolve("checkpoint.safetensors.tmp-77"), "half a checkpoint");
    Files.writeString(dir.resolve("other.json.tmp-5"), "another target's");
    Files.writeString(dir.resolve("checkpoint.safetensors.bak"), "kept");
    AtomicFiles.writeString(target, "new");
    assertEquals("new", Files.readString(target));
    assertEquals(List.of("checkpoint.safetensors", "checkpoint.safetensors.bak", "other.json.tmp-5"), names(dir));
  }

  @Test
  void aFailedWriteKeepsTheOldFileAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
    Path target = dir.resolve("table.json");
    AtomicFiles.writeString(target, "old");
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, ch -> {
      ch.write(ByteBuffer.wrap("partial".getBytes()));
      throw new IOException("No space left on device");
    }));
    assertEquals("No space left on device", e.getMessage());
    assertEquals("old", Files.readString(target));
    assertEquals(List.of("table.json"), names(dir));
  }

  @Test
  void removeStaleCountsWhatItRemoved(@TempDir Path dir) throws IOException {
    Path target = dir.resolve("metrics.jsonl");
    assertEquals(0, AtomicFiles.removeStale(target));
    Files.createFile(dir.resolve("metrics.jsonl.tmp-a"));
    Files.createFile(dir.resolve("metrics.jsonl.tmp-b"));
    assertEquals(2, AtomicFiles.removeStale(target));
    assertFalse(Files.exists(dir.resolve("metrics.jsonl.tmp-a")));
    assertTrue(names(dir).isEmpty());
    assertEquals(0, AtomicFiles.removeStale(dir.resolve("missing-dir").resolve("x")));
  }
}
