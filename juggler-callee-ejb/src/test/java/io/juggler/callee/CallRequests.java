package io.juggler.callee;

import io.juggler.message.CallPayload;
import io.juggler.message.Caller;
import io.juggler.message.RawJson;
import io.juggler.message.Uuids;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.time.Duration;

/** Builds {@link CallRequest}s for unit tests (its constructor is package-private). */
public final class CallRequests {

  private static final Jsonb JSONB = JsonbBuilder.create();

  private CallRequests() {}

  /** A request for {@code uri} with raw {@code args} (null = no args) and a minute to run. */
  public static CallRequest of(String uri, RawJson args) {
    return of(uri, args, null);
  }

  /** A request for {@code uri} with raw {@code args} made by {@code caller} (null = anonymous). */
  public static CallRequest of(String uri, RawJson args, Caller caller) {
    return new CallRequest(
        new CallPayload(Uuids.random(), Uuids.random(), uri, args, caller),
        System.nanoTime() + Duration.ofMinutes(1).toNanos(),
        JSONB);
  }

  /** The JSON-B instance the requests bind with. */
  public static Jsonb jsonb() {
    return JSONB;
  }
}
