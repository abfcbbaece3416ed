package io.juggler.client;

import io.juggler.message.RawJson;
import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;

/** Conversions between JSON text, JSON-P values and the {@link RawJson} the client sends. */
public final class JsonArgs {

  private static final JsonProvider JSON = JsonProvider.provider();

  private JsonArgs() {}

  /**
   * Parses {@code json} (one JSON value, any whitespace) and returns it in compact form.
   *
   * @throws IllegalArgumentException if it is not exactly one JSON value
   */
  public static RawJson parse(String json) {
    return RawJson.of(value(json).toString());
  }

  /** {@code value} as compact JSON text; {@code null} becomes {@link RawJson#NULL}. */
  public static RawJson of(JsonValue value) {
    return value == null ? RawJson.NULL : RawJson.of(value.toString());
  }

  /** {@code json} as a JSON-P value. */
  public static JsonValue toValue(RawJson json) {
    return value(json.json());
  }

  private static JsonValue value(String json) {
    try (JsonParser parser = JSON.createParser(new StringReader(json))) {
      if (!parser.hasNext()) {
        throw new IllegalArgumentException("empty JSON text");
      }
      parser.next();
      JsonValue v = parser.getValue();
      if (parser.hasNext()) {
        throw new IllegalArgumentException("more than one JSON value: " + abbreviate(json));
      }
      return v;
    } catch (JsonException | IllegalStateException e) {
      throw new IllegalArgumentException(
          "invalid JSON: " + abbreviate(json) + " (" + e.getMessage() + ")", e);
    }
  }

  static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "...";
  }
}
