package io.juggler.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.juggler.message.Uuids;
import io.juggler.testing.Deployments;
import io.juggler.testing.redis.RedisProcess;
import jakarta.json.Json;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/** Undeploying lets a call the callee is running finish and store its result. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ShutdownIT {

  @AutoClose static final RedisProcess REDIS = RedisProcess.start();

  @ArquillianResource Deployer deployer;

  @Deployment(name = "callee", managed = false, testable = false)
  static WebArchive deployment() {
    return Deployments.war(
        REDIS, Map.of("juggler.server.enabled", "false", "juggler.callee.shutdown-grace", "10s"));
  }

  @Test
  void inFlightCallFinishesWhenTheApplicationStops() {
    deployer.deploy("callee");
    try (Jedis redis = REDIS.jedis()) {
      String conn = Uuids.random();
      String msg = Uuids.random();
      redis.set("juggler:calls:timeout:{test.delay}:" + msg, "20000", new SetParams().px(20_000));
      redis.lpush(
          "juggler:calls:{test.delay}",
          "{\"conn_uuid\":\""
              + conn
              + "\",\"msg_uuid\":\""
              + msg
              + "\",\"uri\":\"test.delay\",\"args\":\"3000\"}");
      // taken by a worker: the list is empty and the expiry key deleted
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !redis.exists("juggler:calls:timeout:{test.delay}:" + msg));
      deployer.undeploy("callee");
      List<String> result = redis.brpop(10, "juggler:results:{" + conn + "}");
      assertNotNull(result, "the in-flight call was lost on shutdown");
      assertEquals(
          3000, Json.createReader(new StringReader(result.get(1))).readObject().getInt("args"));
    }
  }
}
