package io.juggler.callee.demo;

import io.juggler.callee.CallRequest;
import jakarta.json.Json;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Locale;

/** Argument parsing shared by the demo functions. */
final class DemoArgs {

  private DemoArgs() {}

  static JsonValue value(CallRequest call) {
    if (call.args() == null) {
      throw new IllegalArgumentException("unexpected end of JSON input: missing args");
    }
    try (var reader = Json.createReader(new StringReader(call.args().json()))) {
      return reader.readValue();
    }
  }

  static String string(CallRequest call) {
    JsonValue v = value(call);
    if (v instanceof JsonString s) {
      return s.getString();
    }
    throw new IllegalArgumentException(call.uri() + " expects a JSON string, got " + kind(v));
  }

  static String kind(JsonValue v) {
    return v.getValueType().name().toLowerCase(Locale.ROOT);
  }
}
