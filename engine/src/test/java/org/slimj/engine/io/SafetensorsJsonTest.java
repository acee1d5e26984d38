package org.slimj.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The strict JSON subset used by safetensors headers (named for the Safetensors* test filter). */
class SafetensorsJsonTest {
  private static String fails(String text) {
    return assertThrows(JsonException.class, () -> Json.parse(text), text).getMessage();
  }

  @Test
  void parsesObjectsArraysStringsAndIntegersInOrder() throws JsonException {
    Object v = Json.parse(" {\"b\": [1, -2, 0, []], \"a\": {\"s\": \"x\"}, \"e\": {}}\n\t\r ");
    assertEquals(
        Map.of("b", List.of(1L, -2L, 0L, List.of()), "a", Map.of("s", "x"), "e", Map.of()), v);
    assertEquals(List.of("b", "a", "e"), List.copyOf(((Map<?, ?>) v).keySet()));
    assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
    assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
  }

  @Test
  void decodesEveryEscape() throws JsonException {
    assertEquals(
        "\" \\ / \b \f \n \r \t é 😀 \u0000",
        Json.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00E9 \\ud83d\\uDE00 \\u0000\""));
    assertEquals("ß→✓ 😀", Json.parse("\"ß→✓ 😀\""));
  }

  @Test
  void rejectsWhatTheSubsetDoesNotAllow() {
    assertEquals("at character 7: duplicate key \"a\"", fails("{\"a\":1,\"a\":2}"));
    assertEquals(
        "at character 0: integer 9223372036854775808 is out of the range of a 64-bit long",
        fails("9223372036854775808"));
    assertEquals(
        "at character 0: integer -9223372036854775809 is out of the range of a 64-bit long",
        fails("-9223372036854775809"));
    assertEquals(
        "at character 0: only integers are supported, found a fraction or exponent", fails("1.5"));
    assertEquals(
        "at character 0: only integers are supported, found a fraction or exponent", fails("1e3"));
    assertEquals("at character 0: numbers must not have leading zeros", fails("01"));
    assertEquals("at character 1: expected a digit after '-', found end of input", fails("-"));
    assertEquals(
        "at character 0: unsupported literal starting with 't' (only objects, arrays, strings and"
            + " integers are supported)",
        fails("true"));
    assertEquals("at character 2: unexpected 'x' after the end of the JSON value", fails("{}x"));
    assertEquals("at character 7: unexpected '}', expected a string key", fails("{\"a\":1,}"));
    assertEquals("at character 3: unexpected ']', expected a value", fails("[1,]"));
    assertEquals("at character 0: unexpected end of input, expected a value", fails(""));
    assertEquals("at character 2: unterminated string", fails("\"a"));
    assertEquals("at character 1: unescaped control character U+000A in a string", fails("\"\n\""));
    assertEquals("at character 1: invalid escape sequence '\\x'", fails("\"\\x\""));
    assertEquals("at character 3: invalid hex digit 'g' in a \\u escape", fails("\"\\ug000\""));
    assertEquals("at character 3: truncated \\u escape, expected 4 hex digits", fails("\"\\u12"));
    assertEquals(
        "at character 1: escaped high surrogate U+D83D without a low surrogate",
        fails("\"\\ud83d\""));
    assertEquals(
        "at character 1: escaped low surrogate U+DE00 without a high surrogate",
        fails("\"\\ude00\""));
    assertEquals(
        "at character 1: escaped high surrogate U+D83D followed by U+0041, not a low surrogate",
        fails("\"\\ud83d\\u0041\""));
    assertEquals("at character 1: unpaired surrogate U+D800 in a string", fails("\"\ud800\""));
    assertEquals("at character 4: unexpected '2', expected ':'", fails("{\"a\"2}"));
  }

  @Test
  void limitsNestingDepth() throws JsonException {
    int ok = Json.MAX_DEPTH;
    Json.parse("[".repeat(ok) + "]".repeat(ok));
    assertEquals(
        "at character 16: nesting deeper than 16 levels",
        fails("[".repeat(ok + 1) + "]".repeat(ok + 1)));
    assertEquals(
        "at character 80: nesting deeper than 16 levels",
        fails("{\"a\":".repeat(ok + 1) + "1" + "}".repeat(ok + 1)));
  }

  @Test
  void writesCompactJsonWithEscapes() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("q\"b\\", List.of(1L, -2, "t\tn\n\u0001\u007f é😀"));
    m.put("e", Map.of());
    assertEquals("{\"q\\\"b\\\\\":[1,-2,\"t\\tn\\n\\u0001\u007f é😀\"],\"e\":{}}", Json.write(m));
    assertThrows(IllegalArgumentException.class, () -> Json.write(1.5));
    assertThrows(IllegalArgumentException.class, () -> Json.write("\udc00"));
  }

  @Test
  void randomStringsRoundTrip() throws JsonException {
    long seed = 424242L;
    Random rnd = new Random(seed);
    int[] interesting = {'"', '\\', '/', 0, 1, 0x1f, 0x7f, 0xe9, 0x2192, 0xfffd, 0x1f600, 0x10ffff};
    for (int trial = 0; trial < 500; trial++) {
      StringBuilder sb = new StringBuilder();
      int len = rnd.nextInt(12);
      for (int i = 0; i < len; i++) {
        int cp;
        if (rnd.nextBoolean()) {
          cp = interesting[rnd.nextInt(interesting.length)];
        } else {
          do {
            cp = rnd.nextInt(0x110000);
          } while (cp >= 0xd800 && cp <= 0xdfff);
        }
        sb.appendCodePoint(cp);
      }
      String s = sb.toString();
      assertEquals(s, Json.parse(Json.write(s)), "seed " + seed + ", trial " + trial);
      assertEquals(Map.of(s, s), Json.parse(Json.write(Map.of(s, s))), "seed " + seed);
    }
  }
}
