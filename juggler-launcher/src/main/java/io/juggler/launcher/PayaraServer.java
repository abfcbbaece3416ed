package io.juggler.launcher;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A Payara Server domain serving Juggler EE's EAR at context root {@code /}, set up with {@code
 * asadmin} the way an administrator would (docs/runtimes.md, "Payara Server", lists the same
 * commands):
 *
 * <ol>
 *   <li>{@code create-domain} once (admin and HTTP ports as given, every other port a free one); a
 *       domain made for other ports is deleted and made anew;
 *   <li>the HTTP listeners on loopback, written into {@code domain.xml} while the domain is down
 *       ({@link #bindToLoopback}): Payara's live rebind with {@code asadmin set} now and then fails
 *       and leaves a listener unserved until the next restart;
 *   <li>{@code start-domain};
 *   <li>in one {@code multimode} run: a fixed HTTP worker pool of {@link #HTTP_THREADS}, each
 *       application setting with {@code set-config-property --source=domain}; then, one run each,
 *       {@code juggler.admin.password} and a Redis URL that carries a password as password aliases
 *       (Payara's {@code password} config source resolves an alias of the key's name), so secrets
 *       are stored encrypted, not in {@code domain.xml};
 *   <li>{@code deploy --force=true --name juggler} the EAR.
 * </ol>
 *
 * {@link #close()} undeploys the application and stops the domain ({@code stop-domain}), so the
 * next start does not load the previous application with the previous settings first.
 */
public final class PayaraServer implements ServerProcess {

  /** The domain's name. */
  public static final String DOMAIN = "juggler";

  /** The application's name in the domain. */
  public static final String APPLICATION = "juggler";

  /** HTTP worker threads of the domain's {@code http-thread-pool} (a fixed pool, as on Micro). */
  public static final int HTTP_THREADS = PayaraMicro.HTTP_THREADS;

  /** Settings stored as password aliases rather than in {@code domain.xml}. */
  static final List<String> SECRETS = List.of("juggler.admin.password");

  private static final String CONFIG = "configs.config.server-config.";

  /** The network listeners of {@code server-config} in {@code domain.xml}, as an XPath. */
  private static final String LISTENERS =
      "//config[@name='server-config']/network-config/network-listeners/network-listener";

  private static final String LOOPBACK = "127.0.0.1";

  private final Asadmin asadmin;
  private final Path domains;
  private final ProcessHandle das;
  private final int port;
  private volatile boolean closed;

  private PayaraServer(Asadmin asadmin, Path domains, ProcessHandle das, int port) {
    this.asadmin = asadmin;
    this.domains = domains;
    this.das = das;
    this.port = port;
  }

  /**
   * Makes (if needed) and starts the domain {@value #DOMAIN} in {@code domains}, configures it and
   * deploys {@code ear}. Returns once the deployment is done; {@link #awaitReady} then waits for
   * the application's readiness.
   *
   * @param payara the unpacked installation ({@code payara6})
   * @param domains the domains folder ({@code --domaindir})
   * @param settings MicroProfile Config settings for the application (key to value)
   * @param log where asadmin's output goes (the server's own log is {@code
   *     <domains>/juggler/logs/server.log})
   * @param announce print each asadmin command line as it runs
   */
  public static PayaraServer start(
      Path payara,
      Path domains,
      int httpPort,
      int adminPort,
      Map<String, String> settings,
      Path ear,
      Path log,
      boolean announce)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(Asadmin.cliJar(payara))) {
      throw new IllegalStateException(
          "no Payara Server at "
              + payara
              + "; run ./mvnw -B -pl juggler-ear dependency:unpack@payara-server first");
    }
    if (!Files.isRegularFile(ear)) {
      throw new IllegalStateException("no EAR at " + ear + "; run ./mvnw -B install first");
    }
    Files.createDirectories(domains);
    Files.createDirectories(log.toAbsolutePath().getParent());
    Asadmin as = new Asadmin(payara, adminPort, log, announce);
    String domainDir = domains.toString();
    Path domain = domains.resolve(DOMAIN);
    if (Files.isDirectory(domain) && !madeFor(domain, adminPort, httpPort)) {
      as.run("delete-domain", "--domaindir", domainDir, DOMAIN);
    }
    if (!Files.isDirectory(domain)) {
      create(as, domainDir, adminPort, httpPort);
    }
    Path pidFile = domain.resolve("config/pid");
    if (Files.exists(pidFile)
        && ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
            .map(ProcessHandle::isAlive)
            .orElse(false)) {
      throw new IllegalStateException(
          "the domain in "
              + domain
              + " is running already (an earlier run?); stop it with: "
              + payara.resolve("bin/asadmin")
              + " stop-domain --domaindir "
              + domainDir
              + " "
              + DOMAIN);
    }
    bindToLoopback(domain);
    // in a session of its own: Ctrl-C reaches the launcher only, which undeploys and stops it
    as.runDetached("start-domain", "--domaindir", domainDir, DOMAIN);
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    ProcessHandle das =
        ProcessHandle.of(pid)
            .orElseThrow(() -> new IllegalStateException("the domain's process " + pid + " ended"));
    PayaraServer server = new PayaraServer(as, domains, das, httpPort);
    try {
      configure(as, domains, settings);
      as.run("deploy", "--force=true", "--name", APPLICATION, ear.toString());
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private static void create(Asadmin as, String domainDir, int adminPort, int httpPort)
      throws IOException, InterruptedException {
    int[] p = freePorts(10);
    as.run(
        "create-domain",
        "--nopassword=true",
        "--domaindir",
        domainDir,
        "--adminport",
        Integer.toString(adminPort),
        "--instanceport",
        Integer.toString(httpPort),
        "--domainproperties",
        "http.ssl.port="
            + p[0]
            + ":jms.port="
            + p[1]
            + ":domain.jmxPort="
            + p[2]
            + ":orb.listener.port="
            + p[3]
            + ":orb.ssl.port="
            + p[4]
            + ":orb.mutualauth.port="
            + p[5]
            + ":java.debugger.port="
            + p[6]
            + ":osgi.shell.telnet.port="
            + p[7],
        "--hazelcastdasport",
        Integer.toString(p[8]),
        "--hazelcaststartport",
        Integer.toString(p[9]),
        DOMAIN);
  }

  /** The asadmin commands that configure the running domain, in one multimode run. */
  private static void configure(Asadmin as, Path domains, Map<String, String> settings)
      throws IOException, InterruptedException {
    List<String> commands = new ArrayList<>();
    String pool = CONFIG + "thread-pools.thread-pool.http-thread-pool.";
    commands.add("set " + pool + "max-thread-pool-size=" + HTTP_THREADS);
    commands.add("set " + pool + "min-thread-pool-size=" + HTTP_THREADS);
    Map<String, String> secrets = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String key = e.getKey();
      String value = e.getValue();
      if (key.isBlank() || key.matches(".*\\s.*") || value.matches(".*\\s.*")) {
        throw new IllegalArgumentException(
            "setting '" + key + "': keys and values may not contain spaces on Payara Server");
      }
      if (isSecret(key, value)) {
        secrets.put(key, value);
      } else {
        commands.add(
            "set-config-property --source=domain --propertyName="
                + key
                + " --propertyValue="
                + value);
      }
    }
    Path file = domains.resolve("juggler-config.asadmin");
    Files.write(file, commands);
    as.multimode(file, null, List.of());
    // asadmin's password file holds one alias password: one run per secret
    for (Map.Entry<String, String> secret : secrets.entrySet()) {
      Path aliasCommands = domains.resolve("juggler-alias.asadmin");
      Files.write(
          aliasCommands,
          List.of(
              "delete-password-alias " + secret.getKey(),
              "create-password-alias " + secret.getKey()));
      Path passwords = domains.resolve("juggler-aliases.txt");
      try {
        Files.deleteIfExists(passwords);
        Files.createFile(
            passwords,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        java.util.Properties alias = new java.util.Properties();
        alias.setProperty("AS_ADMIN_ALIASPASSWORD", secret.getValue());
        try (var out = Files.newBufferedWriter(passwords)) {
          alias.store(out, null); // escaped as the properties file asadmin reads
        }
        // a password alias left by an earlier run is replaced: its deletion may fail
        as.multimode(aliasCommands, passwords, List.of("delete-password-alias"));
      } finally {
        Files.deleteIfExists(passwords);
      }
    }
  }

  /**
   * Whether a setting is kept as a password alias rather than in {@code domain.xml}: the console
   * password, and a Redis URL that carries credentials ({@code redis://:password@host:port}).
   */
  static boolean isSecret(String key, String value) {
    return SECRETS.contains(key)
        || (key.startsWith("juggler.redis.") && key.endsWith("url") && value.contains("@"));
  }

  /**
   * Binds the domain's HTTP listeners ({@code http-listener-1} and {@code -2} of {@code
   * server-config}) to 127.0.0.1 in its {@code domain.xml}, which is rewritten only when one is not
   * bound there yet. Call it while the domain is stopped: the server writes the file itself.
   */
  static void bindToLoopback(Path domain) throws IOException {
    Path file = domainXml(domain);
    try {
      Document doc = parse(file);
      var xpath = XPathFactory.newInstance().newXPath();
      NodeList http =
          (NodeList)
              xpath.evaluate(
                  LISTENERS + "[@name='http-listener-1' or @name='http-listener-2']",
                  doc,
                  XPathConstants.NODESET);
      boolean changed = false;
      for (int i = 0; i < http.getLength(); i++) {
        Element listener = (Element) http.item(i);
        if (!LOOPBACK.equals(listener.getAttribute("address"))) {
          listener.setAttribute("address", LOOPBACK);
          changed = true;
        }
      }
      if (changed) {
        var transformer = TransformerFactory.newInstance().newTransformer();
        try (var out = Files.newOutputStream(file)) {
          transformer.transform(new DOMSource(doc), new StreamResult(out));
        }
      }
    } catch (javax.xml.parsers.ParserConfigurationException
        | org.xml.sax.SAXException
        | javax.xml.xpath.XPathExpressionException
        | javax.xml.transform.TransformerException e) {
      throw new IOException("cannot bind the HTTP listeners to loopback in " + file + ": " + e, e);
    }
  }

  /** Whether the domain in {@code domain} was made for these admin and HTTP ports. */
  static boolean madeFor(Path domain, int adminPort, int httpPort) {
    try {
      Document doc = parse(domainXml(domain));
      var xpath = XPathFactory.newInstance().newXPath();
      String admin = xpath.evaluate(LISTENERS + "[@name='admin-listener']/@port", doc);
      String http = xpath.evaluate(LISTENERS + "[@name='http-listener-1']/@port", doc);
      return admin.equals(Integer.toString(adminPort)) && http.equals(Integer.toString(httpPort));
    } catch (Exception e) {
      return false; // unreadable: make it anew
    }
  }

  /** The domain's {@code config/domain.xml}. */
  private static Path domainXml(Path domain) {
    return domain.resolve("config/domain.xml");
  }

  /** Parses {@code file} as the server writes it: plain XML, no DOCTYPE accepted. */
  private static Document parse(Path file)
      throws IOException, javax.xml.parsers.ParserConfigurationException, org.xml.sax.SAXException {
    var factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(file.toFile());
  }

  private static int[] freePorts(int n) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0);
        held.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }

  @Override
  public boolean awaitReady(int seconds) throws InterruptedException {
    // a failed deployment already failed start() (asadmin deploy): nothing to watch for here
    return Readiness.await(das, () -> false, baseUrl(), seconds);
  }

  @Override
  public boolean gaveUp() {
    return false;
  }

  @Override
  public String gaveUpLine() {
    return null;
  }

  @Override
  public boolean portTaken() {
    return false;
  }

  @Override
  public String outputLocation() {
    return serverLog().toString();
  }

  @Override
  public int port() {
    return port;
  }

  /** The domain administration server's process id. */
  @Override
  public long pid() {
    return das.pid();
  }

  /** The server's own log. */
  public Path serverLog() {
    return domains.resolve(DOMAIN).resolve("logs/server.log");
  }

  @Override
  public boolean isAlive() {
    return das.isAlive();
  }

  /** Waits for the domain to stop; 0 (its exit code is not ours to read: it is not our child). */
  @Override
  public int waitFor() throws InterruptedException {
    try {
      das.onExit().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
    return 0;
  }

  /** Undeploys the application and stops the domain (forcibly after 60 s). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!das.isAlive()) {
      return;
    }
    try {
      try {
        asadmin.run("undeploy", APPLICATION);
      } catch (IllegalStateException e) {
        // not deployed (a failed deployment): stop the domain all the same
      }
      asadmin.run("stop-domain", "--domaindir", domains.toString(), DOMAIN);
    } catch (IOException | RuntimeException e) {
      System.err.println("[juggler] stopping the Payara Server domain failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      das.onExit().get(60, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      das.destroyForcibly();
    } catch (InterruptedException e) {
      das.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
