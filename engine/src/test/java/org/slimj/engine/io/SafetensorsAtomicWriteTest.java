package org.slimj.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed write leaves the previous file as it was and no temporary file behind. */
class SafetensorsAtomicWriteTest {
  @TempDir Path dir;

  private List<String> listDir() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static float[] random(long seed, int n) {
    Random rnd = new Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = rnd.nextFloat();
    }
    return v;
  }

  @Test
  void failureMidwayKeepsTheOldFileAndRemovesTheTemporary() throws IOException {
    long seed = 7L;
    Path target = dir.resolve("ckpt.safetensors");
    new SafetensorsWriter()
        .putMetadata("step", "1")
        .add("w", random(seed, 10), 0, 10)
        .write(target);
    byte[] before = Files.readAllBytes(target);

    // 100k floats = 400 KB: several 64 KiB flushes; fail after the second one
    SafetensorsWriter w =
        new SafetensorsWriter()
            .putMetadata("step", "2")
            .add("w", random(seed + 1, 100_000), 0, 100_000);
    long[] flushedBeforeFailure = {0};
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                w.write(
                    target,
                    bytes -> {
                      if (bytes > 65536) {
                        flushedBeforeFailure[0] = bytes;
                        throw new IOException("injected failure after " + bytes + " bytes");
                      }
                    }));
    assertTrue(e.getMessage().startsWith("injected failure"), e.getMessage());
    assertTrue(flushedBeforeFailure[0] >= 2 * 65536, "bytes reached the temporary file first");
    assertArrayEquals(before, Files.readAllBytes(target), "seed " + seed + ": old content kept");
    assertEquals(List.of("ckpt.safetensors"), listDir(), "no temporary file remains");

    // the same writer succeeds afterwards and replaces the file
    w.write(target);
    try (SafetensorsFile f = SafetensorsFile.open(target)) {
      assertEquals("2", f.metadata().get("step"));
      assertArrayEquals(random(seed + 1, 100_000), f.readFloats("w"), "seed " + (seed + 1));
    }
    assertEquals(List.of("ckpt.safetensors"), listDir());
  }

  @Test
  void failedRenameRemovesTheTemporaryAndKeepsTheTarget() throws IOException {
    Path target = dir.resolve("model.safetensors");
    Files.createDirectory(target);
    Files.writeString(target.resolve("keep.txt"), "keep");
    SafetensorsWriter w = new SafetensorsWriter().add("w", new float[] {1f}, 0, 1);
    assertThrows(IOException.class, () -> w.write(target));
    assertEquals("keep", Files.readString(target.resolve("keep.txt")));
    assertEquals(List.of("model.safetensors"), listDir());
  }

  @Test
  void missingDirectoryFailsWithoutCreatingAnything() throws IOException {
    Path target = dir.resolve("no-such-dir").resolve("model.safetensors");
    SafetensorsWriter w = new SafetensorsWriter().add("w", new float[] {1f}, 0, 1);
    assertThrows(NoSuchFileException.class, () -> w.write(target));
    assertEquals(List.of(), listDir());
  }

  @Test
  void badEntriesAreRejectedWhenAddedBeforeAnyByteIsWritten() {
    SafetensorsWriter w = new SafetensorsWriter().add("a", new float[4], 0, 2, 2);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> w.add("b", new float[5], 2, 2, 2));
    assertEquals(
        "tensor 'b': shape [2, 2] at offset 2 needs 4 values, array has length 5", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> w.add("a", new float[4], 0, 4));
    assertEquals("tensor 'a' was already added", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> w.add("__metadata__", new float[1], 0));
    assertEquals("tensor name must be non-empty and not '__metadata__'", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> w.add("n", new float[1], 0, -1));
    assertTrue(e.getMessage().contains("negative dimension"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> w.putMetadata("k", "bad \ud800"));
    assertEquals("unpaired surrogate U+D800 at index 4 of a string", e.getMessage());
    assertEquals(1, w.size());
  }
}
