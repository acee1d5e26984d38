package org.slimj.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.nn.slim.BnKind;

/** File errors name the operation, the file and the reason. */
class FileErrorsTest {
  @Test
  void messagesNameOperationFileAndReason() {
    Path f = Path.of("runs", "x", "checkpoint.safetensors");
    IOException e = FileErrors.describe("write checkpoint to", f, new IOException("No space left on device"));
    assertEquals("cannot write checkpoint to " + f + ": No space left on device", e.getMessage());
    IOException bare = new NoSuchFileException(f.toString());
    assertEquals("no such file or directory", FileErrors.reason(bare));
    assertSame(e, FileErrors.describe("write", f, e), "described once");
  }

  @Test
  void aCheckpointThatCannotBeWrittenSaysSo(@TempDir Path dir) throws Exception {
    Path blocker = dir.resolve("file");
    Files.writeString(blocker, "x");
    Path target = blocker.resolve("checkpoint.safetensors");
    ModelSpec spec = new ModelSpec("smallcnn", 0.5, 1, 8, 10, BnKind.SHARED, new double[] {1.0});
    IOException e = assertThrows(IOException.class,
        () -> Checkpoint.save(target, spec, spec.build(new SplittableRandom(1)), null, Map.of()));
    assertTrue(e.getMessage().startsWith("cannot write checkpoint to " + target + ": "), e.getMessage());
  }
}
