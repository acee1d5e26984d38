package org.slimj.search.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The one JSON reader of the files people pass to slimj (configurations, search results, latency
 * tables, run records): strict RFC 8259 syntax, no duplicate keys (Gson alone keeps the last),
 * nesting at most {@link #MAX_DEPTH} deep, nothing after the document. Errors name the source, the
 * JSON path and what was found.
 */
public final class StrictJson {
  /** Deepest nesting of arrays and objects accepted. */
  public static final int MAX_DEPTH = 64;

  private StrictJson() {}

  /**
   * Parses {@code text}; {@code source} (usually the file) starts every error message.
   *
   * @throws IllegalArgumentException {@code SOURCE: not valid JSON (...)} or {@code SOURCE:
   *     duplicate key "k" at $.path}
   */
  public static JsonElement parse(String text, String source) {
    JsonReader r = new JsonReader(new StringReader(text));
    r.setStrictness(Strictness.STRICT);
    try {
      JsonElement root = read(r, source);
      if (r.peek() != JsonToken.END_DOCUMENT) {
        throw new IllegalArgumentException(source + ": not valid JSON (data after the document at " + r.getPath() + ")");
      }
      return root;
    } catch (IOException | IllegalStateException | NumberFormatException e) {
      throw new IllegalArgumentException(source + ": not valid JSON (" + e.getMessage() + ")", e);
    }
  }

  /** Longest number literal accepted (longer ones would only cost quadratic parsing time). */
  private static final int MAX_NUMBER_CHARS = 400;

  private static JsonPrimitive number(String literal, JsonReader r, String source) {
    if (literal.length() > MAX_NUMBER_CHARS) {
      throw new IllegalArgumentException(source + ": number of " + literal.length() + " characters at " + r.getPath()
          + ", expected at most " + MAX_NUMBER_CHARS);
    }
    boolean integral = literal.length() <= 18 && literal.chars().noneMatch(c -> c == '.' || c == 'e' || c == 'E');
    return integral ? new JsonPrimitive(Long.parseLong(literal)) : new JsonPrimitive(new BigDecimal(literal));
  }

  /** Reads one value without recursion, so deep documents cannot overflow the stack. */
  private static JsonElement read(JsonReader r, String source) throws IOException {
    Deque<JsonElement> open = new ArrayDeque<>();
    JsonElement root = null;
    while (true) {
      JsonElement top = open.peek();
      String name = null;
      if (top instanceof JsonObject o) {
        if (!r.hasNext()) {
          r.endObject();
          open.pop();
          if (open.isEmpty()) {
            return top;
          }
          continue;
        }
        name = r.nextName();
        if (o.has(name)) {
          throw new IllegalArgumentException(source + ": duplicate key \"" + name + "\" at " + r.getPath()
              + " (expected each key once)");
        }
      } else if (top instanceof JsonArray && !r.hasNext()) {
        r.endArray();
        open.pop();
        if (open.isEmpty()) {
          return top;
        }
        continue;
      }
      JsonElement v;
      boolean container = false;
      switch (r.peek()) {
        case BEGIN_OBJECT -> {
          r.beginObject();
          v = new JsonObject();
          container = true;
        }
        case BEGIN_ARRAY -> {
          r.beginArray();
          v = new JsonArray();
          container = true;
        }
        case STRING -> v = new JsonPrimitive(r.nextString());
        case NUMBER -> v = number(r.nextString(), r, source);
        case BOOLEAN -> v = new JsonPrimitive(r.nextBoolean());
        case NULL -> {
          r.nextNull();
          v = JsonNull.INSTANCE;
        }
        default -> throw new IllegalArgumentException(source + ": not valid JSON (unexpected " + r.peek() + " at "
            + r.getPath() + ")");
      }
      if (top instanceof JsonObject o) {
        o.add(name, v);
      } else if (top instanceof JsonArray a) {
        a.add(v);
      } else {
        root = v;
      }
      if (container) {
        if (open.size() >= MAX_DEPTH) {
          throw new IllegalArgumentException(source + ": nesting deeper than " + MAX_DEPTH + " at " + r.getPath());
        }
        open.push(v);
      } else if (open.isEmpty()) {
        return root;
      }
    }
  }
}
