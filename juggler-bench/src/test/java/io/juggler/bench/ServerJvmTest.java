package io.juggler.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerJvmTest {

  @TempDir Path jvms;

  @Test
  void aFeatureVersionIsTemurinFirstThenTheDistributionsJdk() throws Exception {
    java(jvms.resolve("java-25-openjdk-amd64"));
    assertEquals(jvms.resolve("java-25-openjdk-amd64"), ServerJvm.parse("25", jvms).home());
    java(jvms.resolve("temurin-25-jdk-amd64"));
    ServerJvm jvm = ServerJvm.parse("25", jvms);
    assertEquals(jvms.resolve("temurin-25-jdk-amd64"), jvm.home());
    assertEquals(List.of(), jvm.options());
    assertEquals("25", jvm.spelling());
  }

  @Test
  void cohAddsCompactObjectHeaders() throws Exception {
    java(jvms.resolve("temurin-25-jdk-amd64"));
    ServerJvm jvm = ServerJvm.parse("25+coh", jvms);
    assertEquals(jvms.resolve("temurin-25-jdk-amd64"), jvm.home());
    assertEquals(List.of("-XX:+UseCompactObjectHeaders"), jvm.options());
    assertEquals(
        List.of("-XX:+UseCompactObjectHeaders", "-Xmx1g"),
        jvm.withOptions(List.of("-Xmx1g")).options());
  }

  @Test
  void aJavaHomeIsTakenAsItIs() throws Exception {
    Path home = jvms.resolve("somewhere/jdk-21");
    java(home);
    assertEquals(home, ServerJvm.parse(home.toString(), jvms).home());
    assertEquals(home, ServerJvm.parse(home + "+coh", jvms).home());
  }

  @Test
  void nothingIsTheBenchsOwnJvm() {
    ServerJvm jvm = ServerJvm.parse("", jvms);
    assertEquals(Path.of(System.getProperty("java.home")), jvm.home());
    assertEquals(List.of(), jvm.options());
    assertEquals(ServerJvm.bench().home(), jvm.home());
  }

  @Test
  void aMissingJdkIsRefusedWithWhereItWasLookedFor() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ServerJvm.parse("21", jvms));
    assertTrue(e.getMessage().contains("temurin-21-jdk-amd64"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ServerJvm.parse("latest", jvms));
    assertThrows(
        IllegalArgumentException.class, () -> ServerJvm.parse(jvms + "/nothing-here", jvms));
  }

  @Test
  void theRunningBenchReportsItsOwnJava() {
    String running = ServerJvm.running(ProcessHandle.current().pid());
    assertTrue(running.contains("version"), running);
  }

  private static void java(Path home) throws Exception {
    Files.createDirectories(home.resolve("bin"));
    Files.createFile(
        home.resolve("bin/java"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
  }
}
