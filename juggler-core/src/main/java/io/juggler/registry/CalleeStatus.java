package io.juggler.registry;

import java.util.List;

/**
 * What the callee role of an instance reports about itself (implemented by the callee module, read
 * by the instance's registry publisher): whether its workers run, and what they did per URI. Lets
 * the server module publish the instance's state without depending on the callee module.
 */
public interface CalleeStatus {

  /** Worker tasks currently running (0 when the role is off or has no functions). */
  int runningWorkers();

  /** What the callees did per URI since start; empty when no worker runs. */
  List<InstanceState.UriStats> uriStats();
}
