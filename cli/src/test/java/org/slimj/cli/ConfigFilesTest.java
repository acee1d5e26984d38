package org.slimj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.engine.nn.slim.ChannelConfig;

/** Configuration files: bare arrays, {"config": ...}, and one result of a search-result file. */
class ConfigFilesTest {
  @Test
  void readsArraysObjectsAndSelectedSearchResults(@TempDir Path dir) throws Exception {
    Path bare = Files.writeString(dir.resolve("a.json"), "[4, 8, 16]");
    assertEquals(ChannelConfig.of(4, 8, 16), ConfigFiles.read(bare));
    Path obj = Files.writeString(dir.resolve("b.json"), "{\"config\": [2, 3]}");
    assertEquals(ChannelConfig.of(2, 3), ConfigFiles.read(obj));
    Path res = Files.writeString(dir.resolve("r.json"), "{\"method\": \"autoslim-greedy\", \"results\": ["
        + "{\"label\": \"macs<=0.75x\", \"config\": [9, 9]}, {\"label\": \"macs<=0.5x\", \"config\": [5, 7]}]}");
    assertEquals(ChannelConfig.of(5, 7), ConfigFiles.read(Path.of(res + "#macs<=0.5x")));
    assertEquals(ChannelConfig.of(9, 9), ConfigFiles.read(Path.of(res + "#0")));
    var none = assertThrows(IllegalArgumentException.class, () -> ConfigFiles.read(res));
    assertTrue(none.getMessage().contains("macs<=0.5x") && none.getMessage().contains("2 results"), none.getMessage());
    var wrong = assertThrows(IllegalArgumentException.class, () -> ConfigFiles.read(Path.of(res + "#7")));
    assertTrue(wrong.getMessage().contains("'7'"), wrong.getMessage());
    var notResult = assertThrows(IllegalArgumentException.class, () -> ConfigFiles.read(Path.of(bare + "#0")));
    assertTrue(notResult.getMessage().contains("not a search result"), notResult.getMessage());
    Path one = Files.writeString(dir.resolve("one.json"), "{\"results\": [{\"label\": \"x\", \"config\": [1, 2]}]}");
    assertEquals(ChannelConfig.of(1, 2), ConfigFiles.read(one));
  }
}
