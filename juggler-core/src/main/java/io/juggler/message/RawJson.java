package io.juggler.message;

import java.util.Objects;

/**
 * A JSON value kept as compact JSON text, relayed without being interpreted (call arguments,
 * results, event payloads). The text is trusted to be valid JSON: instances are made by the codec
 * from parsed input, or by code that produced the JSON itself.
 */
public final class RawJson {

  /** The JSON literal {@code null}. */
  public static final RawJson NULL = new RawJson("null");

  private final String json;

  private RawJson(String json) {
    this.json = json;
  }

  /** Wraps JSON text that the caller guarantees to be one valid JSON value. */
  public static RawJson of(String json) {
    Objects.requireNonNull(json, "json");
    return "null".equals(json) ? NULL : new RawJson(json);
  }

  /** A JSON string holding {@code text}. */
  public static RawJson string(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 2);
    JsonText.appendString(sb, text);
    return new RawJson(sb.toString());
  }

  public String json() {
    return json;
  }

  public boolean isNull() {
    return this == NULL || "null".equals(json);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawJson r && r.json.equals(json);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  @Override
  public String toString() {
    return json;
  }
}
