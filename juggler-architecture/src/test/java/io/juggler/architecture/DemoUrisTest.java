package io.juggler.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.juggler.callee.Callee;
import io.juggler.callee.DemoFunction;
import io.juggler.launcher.Launcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The demo URIs that the README, the docs and the launcher's banner list are exactly those of the
 * demo functions deployed (the {@link DemoFunction} beans of {@code io.juggler.callee.demo}).
 */
class DemoUrisTest {

  private static final Pattern DEMO_URI = Pattern.compile("test\\.[a-z]+(?:\\.[a-z]+)*");

  /** The URIs of the demo functions, from their classes' {@code @Callee}. */
  static Set<String> deployed() throws IOException {
    Path demo =
        ArchitectureTest.ROOT.resolve("juggler-callee-ejb/target/classes/io/juggler/callee/demo");
    Set<String> uris = new TreeSet<>();
    try (var files = Files.list(demo)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = f.getFileName().toString();
        try {
          Class<?> type =
              Class.forName("io.juggler.callee.demo." + name.substring(0, name.length() - 6));
          if (DemoFunction.class.isAssignableFrom(type)) {
            uris.add(type.getAnnotation(Callee.class).value());
          }
        } catch (ClassNotFoundException e) {
          throw new AssertionError(e);
        }
      }
    }
    assertFalse(uris.isEmpty(), "no demo functions found in " + demo);
    return uris;
  }

  @Test
  void theBannerListsTheDeployedDemoUris() throws IOException {
    assertEquals(deployed(), new TreeSet<>(Launcher.DEMO_URIS));
  }

  @Test
  void theDocsListTheDeployedDemoUris() throws IOException {
    Set<String> deployed = deployed();
    assertEquals(deployed, urisOnLine("README.md", "`juggler.callee.demo.enabled`"));
    assertEquals(deployed, urisOnLine("docs/configuration.md", "`juggler.callee.demo.enabled`"));
    assertEquals(deployed, urisOnLine("docs/architecture.md", "`callee.demo`:"));
  }

  /** The demo URIs on the one line of {@code file} holding {@code marker}. */
  private static Set<String> urisOnLine(String file, String marker) throws IOException {
    List<String> lines =
        Files.readAllLines(ArchitectureTest.ROOT.resolve(file)).stream()
            .filter(l -> l.contains(marker))
            .toList();
    assertEquals(1, lines.size(), file + ": lines holding " + marker);
    String line = lines.get(0);
    Set<String> uris = new TreeSet<>();
    Matcher m = DEMO_URI.matcher(line.substring(line.indexOf(marker) + marker.length()));
    while (m.find()) {
      uris.add(m.group());
    }
    return uris;
  }
}
