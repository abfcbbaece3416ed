package io.juggler.admin;

import io.juggler.broker.BrokerAdmin;
import io.juggler.broker.QueueInfo;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;

/** Call and results lists with depth and oldest entry age; action: purge one (confirmed). */
@Named("queues")
@RequestScoped
public class QueuesView {

  @Inject ClusterMonitor monitor;

  @Inject BrokerAdmin queues;

  @Inject Audit audit;

  private String key = "";

  public List<QueueInfo> getCalls() {
    return monitor.snapshot().queues().queues().stream()
        .filter(q -> q.kind().equals(QueueInfo.CALLS))
        .toList();
  }

  public List<QueueInfo> getResults() {
    return monitor.snapshot().queues().queues().stream()
        .filter(q -> q.kind().equals(QueueInfo.RESULTS))
        .toList();
  }

  public boolean isComplete() {
    return monitor.snapshot().queues().complete();
  }

  /** Deletes the list named by {@code key}, audits it, and samples again. */
  public void purge() {
    FacesContext ctx = FacesContext.getCurrentInstance();
    long n;
    try {
      n = queues.purge(key);
    } catch (IllegalArgumentException e) {
      audit.record("purge", key, "refused: " + e.getMessage());
      ctx.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, e.getMessage(), null));
      return;
    }
    audit.record("purge", key, n + " entries deleted");
    monitor.sample();
    ctx.addMessage(
        null,
        new FacesMessage(
            FacesMessage.SEVERITY_INFO, "Purged " + key + ": " + n + " entries deleted.", null));
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }
}
