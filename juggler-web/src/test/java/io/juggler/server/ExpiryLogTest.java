package io.juggler.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.registry.ExpiredCall;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpiryLogTest {

  @Test
  void drainReturnsExactCountsAndTheLatestEntriesOldestFirst() {
    ExpiryLog log = new ExpiryLog(2);
    log.record("a", "m1", ExpiredCall.Stage.QUEUE);
    log.record("a", "m2", ExpiredCall.Stage.QUEUE);
    log.record("b", "m3", ExpiredCall.Stage.ABANDONED);
    ExpiryLog.Batch b = log.drain("i1");
    assertEquals(Map.of("queue", 2L, "abandoned", 1L), b.byStage());
    assertEquals(List.of("m2", "m3"), b.recent().stream().map(ExpiredCall::msgUuid).toList());
    assertEquals("i1", b.recent().get(0).instance());
    assertTrue(log.drain("i1").isEmpty(), "a drained log is empty");
  }

  @Test
  void aRestoredBatchIsNotLostAndStaysOlderThanNewEntries() {
    ExpiryLog log = new ExpiryLog(3);
    log.record("a", "m1", ExpiredCall.Stage.RESULT);
    log.record("a", "m2", ExpiredCall.Stage.RESULT);
    ExpiryLog.Batch failed = log.drain("i");
    log.record("a", "m3", ExpiredCall.Stage.UNANSWERED);
    log.record("a", "m4", ExpiredCall.Stage.UNANSWERED);
    log.restore(failed);
    ExpiryLog.Batch b = log.drain("i");
    assertEquals(Map.of("result", 2L, "unanswered", 2L), b.byStage());
    assertEquals(List.of("m2", "m3", "m4"), b.recent().stream().map(ExpiredCall::msgUuid).toList());
  }
}
