package org.slimj.engine.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader and compact writer for the subset that safetensors headers use:
 * objects, arrays, strings and integers.
 *
 * <p>Parsed values are {@code Map<String, Object>} (unmodifiable, in document order), {@code
 * List<Object>} (unmodifiable), {@link String} and {@link Long}. The reader rejects what RFC 8259
 * allows but this subset does not need ({@code true}, {@code false}, {@code null}, fractions and
 * exponents) and what RFC 8259 leaves open: duplicate keys, integers outside the range of {@code
 * long}, unpaired UTF-16 surrogates (raw or as {@code \\uXXXX} escapes), and nesting deeper than
 * {@link #MAX_DEPTH}. Only JSON whitespace may follow the value.
 */
public final class Json {
  /** Deepest nesting of objects and arrays that {@link #parse} accepts. */
  public static final int MAX_DEPTH = 16;

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /**
   * Parses one JSON value that may be surrounded by JSON whitespace.
   *
   * @throws JsonException if {@code text} is not a single value of the supported subset
   */
  public static Object parse(String text) throws JsonException {
    Json p = new Json(text);
    p.skipWhitespace();
    Object value = p.value(0);
    p.skipWhitespace();
    if (p.pos != text.length()) {
      throw p.error("unexpected " + p.describeCurrent() + " after the end of the JSON value");
    }
    return value;
  }

  /**
   * Writes {@code value} as compact JSON (no whitespace). Accepts maps with string keys, lists,
   * strings and integral numbers ({@link Long}, {@link Integer}, {@link Short}, {@link Byte}).
   *
   * @throws IllegalArgumentException for other value types or strings with unpaired surrogates
   */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    append(out, value);
    return out.toString();
  }

  /** Appends {@code value} to {@code out} as compact JSON; see {@link #write(Object)}. */
  public static void append(StringBuilder out, Object value) {
    switch (value) {
      case String s -> appendString(out, s);
      case Long n -> out.append(n.longValue());
      case Integer n -> out.append(n.intValue());
      case Short n -> out.append(n.shortValue());
      case Byte n -> out.append(n.byteValue());
      case Map<?, ?> map -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (!(e.getKey() instanceof String key)) {
            throw new IllegalArgumentException(
                "JSON object keys must be strings, found " + e.getKey());
          }
          if (!first) {
            out.append(',');
          }
          first = false;
          appendString(out, key);
          out.append(':');
          append(out, e.getValue());
        }
        out.append('}');
      }
      case List<?> list -> {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          append(out, list.get(i));
        }
        out.append(']');
      }
      case null -> throw new IllegalArgumentException("null is not in the supported JSON subset");
      default ->
          throw new IllegalArgumentException(
              "cannot write a " + value.getClass().getName() + " as JSON: " + value);
    }
  }

  /**
   * Appends {@code s} as a JSON string literal: quotes and backslashes escaped, control characters
   * below U+0020 escaped ({@code \n}, {@code \t}, ... or {@code \\u00XX}), everything else as is.
   *
   * @throws IllegalArgumentException if {@code s} has an unpaired surrogate (not encodable as
   *     UTF-8)
   */
  public static void appendString(StringBuilder out, String s) {
    requireWellFormed(s);
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /**
   * Checks that {@code s} has no unpaired UTF-16 surrogate, so that it encodes to UTF-8 exactly.
   *
   * @throws IllegalArgumentException naming the index of the first unpaired surrogate
   */
  public static void requireWellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            String.format("unpaired surrogate U+%04X at index %d of a string", (int) c, i));
      }
    }
  }

  private Object value(int depth) throws JsonException {
    if (pos >= text.length()) {
      throw error("unexpected end of input, expected a value");
    }
    char c = text.charAt(pos);
    return switch (c) {
      case '{' -> object(depth + 1);
      case '[' -> array(depth + 1);
      case '"' -> string();
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        if (c == 't' || c == 'f' || c == 'n') {
          throw error(
              "unsupported literal starting with '"
                  + c
                  + "' (only objects, arrays, strings and integers are supported)");
        }
        throw error("unexpected " + describeCurrent() + ", expected a value");
      }
    };
  }

  private Map<String, Object> object(int depth) throws JsonException {
    checkDepth(depth);
    pos++; // '{'
    Map<String, Object> map = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return Collections.unmodifiableMap(map);
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("unexpected " + describeCurrent() + ", expected a string key");
      }
      int keyPos = pos;
      String key = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      Object v = value(depth);
      if (map.putIfAbsent(key, v) != null) {
        throw new JsonException(keyPos, "duplicate key " + write(key));
      }
      skipWhitespace();
      char c = peek();
      if (c == ',') {
        pos++;
      } else if (c == '}') {
        pos++;
        return Collections.unmodifiableMap(map);
      } else {
        throw error("unexpected " + describeCurrent() + ", expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) throws JsonException {
    checkDepth(depth);
    pos++; // '['
    List<Object> list = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return Collections.unmodifiableList(list);
    }
    while (true) {
      skipWhitespace();
      list.add(value(depth));
      skipWhitespace();
      char c = peek();
      if (c == ',') {
        pos++;
      } else if (c == ']') {
        pos++;
        return Collections.unmodifiableList(list);
      } else {
        throw error("unexpected " + describeCurrent() + ", expected ',' or ']'");
      }
    }
  }

  private String string() throws JsonException {
    pos++; // opening quote
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos);
      if (c == '"') {
        pos++;
        return sb.toString();
      }
      if (c < 0x20) {
        throw error(String.format("unescaped control character U+%04X in a string", (int) c));
      }
      if (c == '\\') {
        escape(sb);
      } else if (Character.isHighSurrogate(c)
          && pos + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(pos + 1))) {
        sb.append(c).append(text.charAt(pos + 1));
        pos += 2;
      } else if (Character.isSurrogate(c)) {
        throw error(String.format("unpaired surrogate U+%04X in a string", (int) c));
      } else {
        sb.append(c);
        pos++;
      }
    }
  }

  private void escape(StringBuilder sb) throws JsonException {
    int start = pos;
    pos++; // backslash
    if (pos >= text.length()) {
      throw error("unterminated escape sequence");
    }
    char c = text.charAt(pos++);
    switch (c) {
      case '"' -> sb.append('"');
      case '\\' -> sb.append('\\');
      case '/' -> sb.append('/');
      case 'b' -> sb.append('\b');
      case 'f' -> sb.append('\f');
      case 'n' -> sb.append('\n');
      case 'r' -> sb.append('\r');
      case 't' -> sb.append('\t');
      case 'u' -> {
        char u = hex4();
        if (Character.isHighSurrogate(u)) {
          if (pos + 1 < text.length() && text.charAt(pos) == '\\' && text.charAt(pos + 1) == 'u') {
            pos += 2;
            char low = hex4();
            if (!Character.isLowSurrogate(low)) {
              throw new JsonException(
                  start,
                  String.format(
                      "escaped high surrogate U+%04X followed by U+%04X, not a low surrogate",
                      (int) u, (int) low));
            }
            sb.append(u).append(low);
          } else {
            throw new JsonException(
                start,
                String.format("escaped high surrogate U+%04X without a low surrogate", (int) u));
          }
        } else if (Character.isLowSurrogate(u)) {
          throw new JsonException(
              start,
              String.format("escaped low surrogate U+%04X without a high surrogate", (int) u));
        } else {
          sb.append(u);
        }
      }
      default -> throw new JsonException(start, "invalid escape sequence '\\" + printable(c) + "'");
    }
  }

  private char hex4() throws JsonException {
    if (pos + 4 > text.length()) {
      throw error("truncated \\u escape, expected 4 hex digits");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(text.charAt(pos), 16);
      if (d < 0 || text.charAt(pos) > 'f') {
        throw error("invalid hex digit " + describeCurrent() + " in a \\u escape");
      }
      v = v * 16 + d;
      pos++;
    }
    return (char) v;
  }

  private Long number() throws JsonException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    char first = peek();
    if (first < '0' || first > '9') {
      throw error("expected a digit after '-', found " + describeCurrent());
    }
    pos++;
    if (first == '0' && isDigit(peek())) {
      throw new JsonException(start, "numbers must not have leading zeros");
    }
    while (isDigit(peek())) {
      pos++;
    }
    char next = peek();
    if (next == '.' || next == 'e' || next == 'E') {
      throw new JsonException(start, "only integers are supported, found a fraction or exponent");
    }
    String digits = text.substring(start, pos);
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new JsonException(start, "integer " + digits + " is out of the range of a 64-bit long");
    }
  }

  private void checkDepth(int depth) throws JsonException {
    if (depth > MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH + " levels");
    }
  }

  private void expect(char c) throws JsonException {
    if (peek() != c) {
      throw error("unexpected " + describeCurrent() + ", expected '" + c + "'");
    }
    pos++;
  }

  /** The current character, or U+FFFF (never valid here) at the end of the input. */
  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\uffff';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private String describeCurrent() {
    if (pos >= text.length()) {
      return "end of input";
    }
    return "'" + printable(text.charAt(pos)) + "'";
  }

  private static String printable(char c) {
    return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
  }

  private JsonException error(String detail) {
    return new JsonException(pos, detail);
  }
}
