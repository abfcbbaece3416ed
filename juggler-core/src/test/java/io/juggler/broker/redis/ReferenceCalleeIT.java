package io.juggler.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.juggler.message.CallPayload;
import io.juggler.message.Caller;
import io.juggler.message.JsonCodec;
import io.juggler.message.RawJson;
import io.juggler.message.Uuids;
import io.juggler.testing.redis.RedisProcess;
import io.juggler.testing.reference.ReferenceBinaries;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * The reference's own callee (the Go binary in {@code shared/reference/go-juggler}, when present on
 * this machine; skipped otherwise) serves a call stored by Juggler EE with the optional {@code
 * caller} member: Go callees ignore members they do not know.
 */
class ReferenceCalleeIT {

  @AutoClose static final RedisProcess REDIS = RedisProcess.start();

  static Optional<Path> referenceCallee() {
    return ReferenceBinaries.find("juggler-callee").map(bin -> bin.resolve("juggler-callee"));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void theReferenceCalleeServesACallThatNamesItsCaller() throws Exception {
    Optional<Path> callee = referenceCallee();
    assumeTrue(callee.isPresent(), "the reference's juggler-callee binary is not on this machine");
    Process go =
        new ProcessBuilder(
                callee.get().toString(),
                "-redis",
                REDIS.host() + ":" + REDIS.port(),
                "-workers",
                "1",
                "-port",
                Integer.toString(freePort()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (Jedis redis = REDIS.jedis()) {
      String conn = Uuids.random();
      String msg = Uuids.random();
      String call =
          JsonCodec.encodeCallPayload(
              new CallPayload(
                  conn,
                  msg,
                  "test.reverse",
                  RawJson.string("abc"),
                  new Caller("alice", List.of("user"), Uuids.random())));
      redis.set("juggler:calls:timeout:{test.reverse}:" + msg, "10000", new SetParams().px(10_000));
      redis.lpush("juggler:calls:{test.reverse}", call);
      List<String> popped = redis.brpop(10, "juggler:results:{" + conn + "}");
      assertNotNull(popped, "the reference callee stored no result");
      CallPayload result = JsonCodec.decodeCallPayload(popped.get(1));
      assertEquals(msg, result.msgUuid());
      assertEquals("\"cba\"", result.args().json());
    } finally {
      go.destroy();
      go.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
