package io.juggler.admin;

import io.juggler.registry.ExpiredCall;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import java.util.Map;

/** Expired calls: cluster-wide counts by stage and the most recent ones. */
@Named("expired")
@RequestScoped
public class ExpiredView {

  @Inject ClusterMonitor monitor;

  public Map<String, Long> getCounts() {
    return monitor.snapshot().expired();
  }

  public List<String> getStages() {
    return ExpiredCall.Stage.ALL;
  }

  public List<ExpiredCall> getRecent() {
    return monitor.snapshot().recentExpired();
  }

  /** What each stage means, for the page. */
  public String describe(String stage) {
    return switch (stage) {
      case ExpiredCall.Stage.QUEUE -> "expired in the queue before a callee took it";
      case ExpiredCall.Stage.RESULT -> "result arrived after the deadline; not delivered";
      case ExpiredCall.Stage.UNANSWERED -> "no result before the deadline (client saw it expire)";
      case ExpiredCall.Stage.ABANDONED -> "the client left while the call was pending";
      default -> stage;
    };
  }
}
