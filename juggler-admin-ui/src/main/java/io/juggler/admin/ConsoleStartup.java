package io.juggler.admin;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.annotation.WebListener;

/**
 * Starts the {@link ClusterMonitor} when the web application starts, and makes the session cookie
 * {@code HttpOnly} and {@code SameSite=Strict} through Servlet 6's cookie attributes. Open Liberty
 * honours them (its session cookie is written too late for {@link Cookies} to amend); Payara 6
 * writes {@code HttpOnly} but not the {@code SameSite} attribute, which {@link Cookies} adds. A
 * servlet context listener, not a CDI observer of the start: this class is a library of the WAR
 * ({@code WEB-INF/lib}), and on Payara its beans do not see the web module's start event
 * ({@code @Initialized} with the {@code ServletContext}), while the application's start event
 * reaches them, in the EAR on Payara Server, outside the web module's naming context, where the
 * monitor's {@code @Resource} cannot be injected (docs/runtimes.md).
 */
@WebListener
public class ConsoleStartup implements ServletContextListener {

  @Inject ClusterMonitor monitor;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    SessionCookieConfig cookie = event.getServletContext().getSessionCookieConfig();
    cookie.setHttpOnly(true);
    if (cookie.getAttribute("SameSite") == null) { // the deployment's own choice stands
      cookie.setAttribute("SameSite", "Strict");
    }
    monitor.start();
  }
}
