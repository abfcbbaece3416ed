package io.juggler.admin;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/**
 * Starts the {@link ClusterMonitor} when the web application starts. A servlet context listener,
 * not a CDI observer of the start: this class is a library of the WAR ({@code WEB-INF/lib}), and on
 * Payara its beans do not see the web module's start event ({@code @Initialized} with the {@code
 * ServletContext}), while the application's start event reaches them, in the EAR on Payara Server,
 * outside the web module's naming context, where the monitor's {@code @Resource} cannot be injected
 * (docs/runtimes.md).
 */
@WebListener
public class ConsoleStartup implements ServletContextListener {

  @Inject ClusterMonitor monitor;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    monitor.start();
  }
}
