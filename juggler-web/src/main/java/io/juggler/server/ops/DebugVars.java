package io.juggler.server.ops;

import io.juggler.server.JugglerServer;
import io.juggler.server.ServerMetrics;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/**
 * {@code GET /debug/vars}: the document the reference load tool reads (spec section 12), so {@code
 * juggler-load} runs against Juggler EE without {@code -V}. {@code juggler} holds the reference
 * counters; {@code memstats} maps JVM figures onto Go's names: {@code Alloc} and {@code HeapAlloc}
 * = heap used, {@code HeapInuse} = heap committed, {@code NumGC} and {@code PauseTotalNs} =
 * collections and their time summed over all collectors.
 */
@WebServlet("/debug/vars")
public class DebugVars extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Inject transient ServerMetrics metrics;

  @Inject transient JugglerServer server;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    JsonObjectBuilder juggler = Json.createObjectBuilder();
    metrics.referenceCounters().forEach(juggler::add);

    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long gcCount = 0;
    long gcMillis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCount += Math.max(0, gc.getCollectionCount());
      gcMillis += Math.max(0, gc.getCollectionTime());
    }
    JsonObjectBuilder mem =
        Json.createObjectBuilder()
            .add("Alloc", heap.getUsed())
            .add("HeapAlloc", heap.getUsed())
            .add("HeapInuse", heap.getCommitted())
            .add("TotalAlloc", heap.getUsed())
            .add("StackInuse", 0)
            .add("Mallocs", 0)
            .add("Frees", 0)
            .add("HeapObjects", 0)
            .add("NumGC", gcCount)
            .add("PauseTotalNs", gcMillis * 1_000_000);

    resp.setContentType("application/json");
    resp.setCharacterEncoding("UTF-8");
    resp.getWriter()
        .write(
            Json.createObjectBuilder()
                .add("juggler", juggler)
                .add("memstats", mem)
                // sessions given the cheap idle-timeout scheduler (IdleTimers; Payara only)
                .add("idleTimersAdopted", server.idleTimersAdopted())
                .build()
                .toString());
  }
}
