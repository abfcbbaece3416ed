package io.juggler.broker.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RedisClientsTest {

  @Test
  void errorRepliesOfARedisThatCannotServeForAMomentCountAsUnavailable() {
    assertTrue(RedisClients.isTransient("LOADING Redis is loading the dataset in memory"));
    assertTrue(RedisClients.isTransient("CLUSTERDOWN The cluster is down"));
    assertTrue(RedisClients.isTransient("TRYAGAIN Multiple keys request during rehashing of slot"));
    assertTrue(RedisClients.isTransient("MASTERDOWN Link with MASTER is down"));
    assertTrue(RedisClients.isTransient("READONLY You can't write against a read only replica."));
    assertTrue(RedisClients.isTransient("BUSY Redis is busy running a script."));
    assertFalse(RedisClients.isTransient("list capacity exceeded"));
    assertFalse(RedisClients.isTransient("duplicate: a call with this uuid is pending"));
    assertFalse(RedisClients.isTransient("ERR invalid expire time in 'set' command"));
    assertFalse(RedisClients.isTransient(null));
  }
}
