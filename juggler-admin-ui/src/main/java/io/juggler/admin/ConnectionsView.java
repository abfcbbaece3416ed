package io.juggler.admin;

import io.juggler.registry.InstanceControl;
import io.juggler.registry.InstanceState;
import io.juggler.registry.RegisteredInstance;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Every live connection of the cluster, filterable; action: disconnect one. The connections a
 * silent instance last listed are left out (it is most likely dead, and they with it); the page
 * says how many.
 */
@Named("connections")
@RequestScoped
public class ConnectionsView {

  /** One connection and the instance holding it. */
  public record Row(String instance, InstanceState.ConnectionInfo c) {}

  @Inject ClusterMonitor monitor;

  @Inject InstanceControl control;

  @Inject Audit audit;

  private String filter = "";
  private String instance = "";
  private String connection = "";

  /**
   * Asks the instances for their connection lists; the page calls it before anything is rendered,
   * so that the first view waits for them (see {@link ClusterMonitor#watchConnections}).
   */
  public void watch() {
    monitor.watchConnections();
  }

  public List<Row> getRows() {
    String f = filter == null ? "" : filter.trim().toLowerCase(Locale.ROOT);
    List<Row> rows = new ArrayList<>();
    for (InstanceState i : monitor.snapshot().live()) {
      for (InstanceState.ConnectionInfo c : i.connections()) {
        if (f.isEmpty() || matches(f, i.id(), c)) {
          rows.add(new Row(i.id(), c));
        }
      }
    }
    rows.sort(
        Comparator.comparingLong((Row r) -> r.c().connectedAt())
            .reversed()
            .thenComparing(r -> r.c().id()));
    return rows;
  }

  private static boolean matches(String f, String instance, InstanceState.ConnectionInfo c) {
    return (instance
            + " "
            + c.id()
            + " "
            + c.remoteAddress()
            + " "
            + (c.user() == null ? "" : c.user())
            + " "
            + c.userAgent())
        .toLowerCase(Locale.ROOT)
        .contains(f);
  }

  /** Connections not listed because a live instance has more than it publishes. */
  public long getUnlisted() {
    return monitor.snapshot().live().stream()
        .mapToLong(i -> i.connectionCount() - i.connections().size())
        .sum();
  }

  /** Connections that silent instances last reported, left out of the list. */
  public long getOnSilent() {
    return monitor.snapshot().instances().stream()
        .filter(RegisteredInstance::silent)
        .mapToLong(i -> i.state().connectionCount())
        .sum();
  }

  /** Asks the instance holding the connection to close it (through Redis), and audits it. */
  public void disconnect() {
    FacesContext ctx = FacesContext.getCurrentInstance();
    boolean known =
        monitor.snapshot().live().stream()
            .anyMatch(
                i ->
                    i.id().equals(instance)
                        && i.connections().stream().anyMatch(c -> c.id().equals(connection)));
    if (!known) {
      audit.record("disconnect", instance + "/" + connection, "refused: no such connection");
      ctx.addMessage(
          null,
          new FacesMessage(
              FacesMessage.SEVERITY_WARN,
              "No connection " + connection + " on " + instance + " (it may have closed).",
              null));
      return;
    }
    control.requestDisconnect(instance, connection, audit.user());
    audit.record("disconnect", instance + "/" + connection, "requested");
    ctx.addMessage(
        null,
        new FacesMessage(
            FacesMessage.SEVERITY_INFO,
            "Disconnect of " + connection + " sent to " + instance + ".",
            null));
  }

  public String getFilter() {
    return filter;
  }

  public void setFilter(String filter) {
    this.filter = filter;
  }

  public String getInstance() {
    return instance;
  }

  public void setInstance(String instance) {
    this.instance = instance;
  }

  public String getConnection() {
    return connection;
  }

  public void setConnection(String connection) {
    this.connection = connection;
  }
}
