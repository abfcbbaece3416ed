package io.juggler.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a start records the AOT cache and when it uses it (the JVM's side is LauncherIT's {@code
 * anAotCacheIsRecordedByTheFirstRunAndUsedByTheNext}), and how the launcher's variables for it are
 * checked.
 */
class AotCacheTest {

  @TempDir Path dir;

  @Test
  void theFeatureReleaseIsReadFromTheJdksReleaseFile() throws IOException {
    assertEquals(25, AotCache.feature(jdk("jdk25", "25.0.3")));
    assertEquals(17, AotCache.feature(jdk("jdk17", "17.0.15")));
    assertEquals(8, AotCache.feature(jdk("jdk8", "1.8.0_402")));
    assertEquals(
        AotCache.feature(Path.of(System.getProperty("java.home"))), Runtime.version().feature());
    IOException none = assertThrows(IOException.class, () -> AotCache.feature(dir));
    assertTrue(none.getMessage().contains("no JDK at " + dir), none.getMessage());
  }

  @Test
  void theFirstStartRecordsTheNextUsesAndAnotherJdkOrPayaraRecordsAgain() throws IOException {
    Path jdk = jdk("jdk25", "25.0.3");
    Path jar = Files.writeString(dir.resolve("payara-micro.jar"), "payara");
    Path cache = dir.resolve("aot/juggler.aot");

    AotCache.Plan first = AotCache.plan(cache, jdk, jar);
    assertTrue(first.recording());
    assertEquals(List.of("-XX:AOTCacheOutput=" + cache.toAbsolutePath()), first.jvmOptions());
    assertTrue(Files.isRegularFile(AotCache.stamp(cache)), "the stamp is written");

    // the recording JVM died before it wrote the cache: recorded again
    assertTrue(AotCache.plan(cache, jdk, jar).recording());

    Files.writeString(cache, "a cache"); // what the JVM writes when it exits
    AotCache.Plan second = AotCache.plan(cache, jdk, jar);
    assertFalse(second.recording());
    assertEquals(List.of("-XX:AOTCache=" + cache.toAbsolutePath()), second.jvmOptions());

    // another Payara Micro: the stale cache is deleted and recorded again
    Files.setLastModifiedTime(
        jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
    AotCache.Plan newPayara = AotCache.plan(cache, jdk, jar);
    assertTrue(newPayara.recording());
    assertFalse(Files.exists(cache), "the stale cache is left");

    // another JDK (an update in place): the same
    Files.writeString(cache, "a cache");
    assertFalse(AotCache.plan(cache, jdk, jar).recording());
    Files.writeString(
        jdk.resolve("release"), "JAVA_VERSION=\"25.0.4\"\nJAVA_RUNTIME_VERSION=\"25.0.4+1\"\n");
    assertTrue(AotCache.plan(cache, jdk, jar).recording());
  }

  @Test
  void aJdkBefore25IsRefusedNamingTheVariableToSet() throws IOException {
    Path jar = Files.writeString(dir.resolve("payara-micro.jar"), "payara");
    Path jdk17 = jdk("jdk17", "17.0.15");
    Launcher.LaunchException e =
        assertThrows(
            Launcher.LaunchException.class,
            () ->
                Launcher.aotPlan(
                    Map.of("JUGGLER_AOT_CACHE", dir.resolve("c.aot").toString()),
                    Launcher.Runtime.PAYARA_MICRO,
                    jdk17,
                    jar));
    assertTrue(
        e.getMessage().startsWith("JUGGLER_AOT_CACHE: an AOT cache needs JDK 25"), e.getMessage());
    assertTrue(e.getMessage().contains("is JDK 17"), e.getMessage());
    assertTrue(e.getMessage().contains("set JUGGLER_SERVER_JAVA_HOME to a JDK 25"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("c.aot.for")), "nothing prepared");
  }

  @Test
  void theVariablesApplyOnlyWhereTheyWork() throws IOException {
    Path jar = Files.writeString(dir.resolve("payara-micro.jar"), "payara");
    Map<String, String> aot = Map.of("JUGGLER_AOT_CACHE", dir.resolve("c.aot").toString());
    for (Launcher.Runtime other :
        List.of(Launcher.Runtime.OPEN_LIBERTY, Launcher.Runtime.PAYARA_SERVER)) {
      Launcher.LaunchException e =
          assertThrows(
              Launcher.LaunchException.class,
              () -> Launcher.aotPlan(aot, other, jdk("jdk25", "25.0.3"), jar));
      assertTrue(
          e.getMessage().startsWith("JUGGLER_AOT_CACHE applies to Payara Micro"), e.getMessage());
    }
    assertEquals(null, Launcher.aotPlan(Map.of(), Launcher.Runtime.PAYARA_MICRO, null, jar));
    Launcher.LaunchException noRelease =
        assertThrows(
            Launcher.LaunchException.class,
            () -> Launcher.aotPlan(aot, Launcher.Runtime.PAYARA_MICRO, dir, jar));
    assertTrue(
        noRelease.getMessage().startsWith("JUGGLER_AOT_CACHE=" + dir.resolve("c.aot") + ": "),
        noRelease.getMessage());
    assertTrue(noRelease.getMessage().contains("no JDK at " + dir), noRelease.getMessage());

    Launcher.LaunchException notJdk =
        assertThrows(
            Launcher.LaunchException.class,
            () ->
                Launcher.serverJavaHome(
                    Map.of("JUGGLER_SERVER_JAVA_HOME", dir.toString()),
                    Launcher.Runtime.PAYARA_MICRO));
    assertEquals(
        "JUGGLER_SERVER_JAVA_HOME=" + dir + " is not a JDK: it has no executable bin/java",
        notJdk.getMessage());
    Path own = Path.of(System.getProperty("java.home"));
    Map<String, String> home = Map.of("JUGGLER_SERVER_JAVA_HOME", own.toString());
    assertEquals(own, Launcher.serverJavaHome(home, Launcher.Runtime.OPEN_LIBERTY));
    assertThrows(
        Launcher.LaunchException.class,
        () -> Launcher.serverJavaHome(home, Launcher.Runtime.PAYARA_SERVER));
    assertEquals(null, Launcher.serverJavaHome(Map.of(), Launcher.Runtime.PAYARA_MICRO));
  }

  /** A directory that looks like a JDK of {@code version} to its release file. */
  private Path jdk(String name, String version) throws IOException {
    Path home = Files.createDirectories(dir.resolve(name));
    Files.writeString(
        home.resolve("release"),
        "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\""
            + version
            + "\"\nJAVA_RUNTIME_VERSION=\""
            + version
            + "+1\"\n");
    return home;
  }
}
