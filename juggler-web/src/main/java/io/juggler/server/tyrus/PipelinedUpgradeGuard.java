package io.juggler.server.tyrus;

import io.juggler.config.JugglerConfig;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpUpgradeHandler;
import java.io.IOException;
import java.util.EnumSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Makes Tyrus upgrade websocket requests with {@link OrderedUpgradeHandler} instead of its own
 * handler (see the package documentation for why), without a reverse DNS lookup per handshake.
 *
 * <p>At start-up it looks for Tyrus's servlet upgrade handler; where there is none (Open Liberty)
 * it does nothing. Where there is, it registers a filter in front of every declared filter, and so
 * in front of Tyrus's own (which Tyrus maps after them). For websocket upgrade requests only, the
 * filter passes on a request whose {@code upgrade(TyrusHttpUpgradeHandler.class)} asks the
 * container for the subclass instead; every other request passes untouched.
 */
@WebListener
public class PipelinedUpgradeGuard implements ServletContextListener {

  private static final Logger LOG = Logger.getLogger(PipelinedUpgradeGuard.class.getName());

  static final String TYRUS_HANDLER = "org.glassfish.tyrus.servlet.TyrusHttpUpgradeHandler";

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    if (!tyrusPresent(context.getClassLoader())) {
      return;
    }
    OrderedUpgradeHandler.readLimit =
        JugglerConfig.of(ConfigProvider.getConfig()).server().readLimit();
    var registration = context.addFilter("juggler-ordered-upgrade", new OrderedUpgradeFilter());
    registration.setAsyncSupported(true);
    registration.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
    LOG.log(
        Level.CONFIG,
        "Tyrus found: websocket upgrades use {0}",
        OrderedUpgradeHandler.class.getName());
  }

  static boolean tyrusPresent(ClassLoader loader) {
    try {
      Class.forName(TYRUS_HANDLER, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Swaps the upgrade handler class of websocket upgrade requests. */
  static final class OrderedUpgradeFilter implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      if (request instanceof HttpServletRequest http
          && "websocket".equalsIgnoreCase(http.getHeader("Upgrade"))) {
        chain.doFilter(new OrderedUpgradeRequest(http), response);
      } else {
        chain.doFilter(request, response);
      }
    }
  }

  /**
   * A request that upgrades to {@link OrderedUpgradeHandler} where Tyrus asks for its own, and
   * whose local name is its local address. Tyrus records {@code getLocalName()} for every upgrade,
   * a reverse DNS lookup of the server's own address that the JDK does not cache: where that
   * address has no PTR record and DNS is slow, every handshake held an HTTP worker for seconds (a
   * burst of 1,000 connections occupied all 200 workers of a Payara Micro for minutes).
   */
  static final class OrderedUpgradeRequest extends HttpServletRequestWrapper {
    OrderedUpgradeRequest(HttpServletRequest request) {
      super(request);
    }

    @Override
    public String getLocalName() {
      return getLocalAddr();
    }

    @Override
    public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass)
        throws IOException, ServletException {
      if (handlerClass.getName().equals(TYRUS_HANDLER)) {
        return handlerClass.cast(super.upgrade(OrderedUpgradeHandler.class));
      }
      return super.upgrade(handlerClass);
    }
  }
}
