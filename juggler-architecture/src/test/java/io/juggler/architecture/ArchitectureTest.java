package io.juggler.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noCodeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rules about how the code is put together (docs/architecture.md), checked over every module's
 * compiled main classes and main sources: packages depend on each other without cycles, the Redis
 * broker and registry are injected only through their role interfaces, and only {@code RedisKeys}
 * spells Redis keys.
 */
class ArchitectureTest {

  /** Every module with main code, as the reactor builds them before this one. */
  static final List<String> MODULES =
      List.of(
          "juggler-test-support",
          "juggler-core",
          "juggler-callee-ejb",
          "juggler-admin-ui",
          "juggler-web",
          "juggler-client",
          "juggler-launcher",
          "juggler-bench",
          "juggler-faults");

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    List<Path> folders = new ArrayList<>();
    for (String module : MODULES) {
      Path folder = ROOT.resolve(module).resolve("target/classes");
      assertTrue(
          Files.isDirectory(folder.resolve("io/juggler")),
          folder + " has no classes: build the modules first (./mvnw install -DskipTests)");
      folders.add(folder);
    }
    classes = new ClassFileImporter().importPaths(folders);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.juggler.(**)").should().beFreeOfCycles().check(classes);
  }

  /**
   * The broker and the registry are produced as their roles ({@code CallerBroker}, {@code
   * CalleeBroker}, {@code PubSubBroker}, {@code BrokerAdmin}; {@code InstanceRegistry}, {@code
   * InstanceControl}, {@code ExpiredRecord}, {@code AuditLog}): injecting a Redis class itself
   * would reach past them.
   */
  @Test
  void theBrokerAndTheRegistryAreInjectedOnlyThroughTheirRoles() {
    noFields()
        .that()
        .areAnnotatedWith("jakarta.inject.Inject")
        .should()
        .haveRawType(resideInAPackage("io.juggler.broker.redis.."))
        .because("beans inject the role interfaces Juggler produces")
        .check(classes);
  }

  /**
   * Not even through a constructor or an initializer method (none is annotated today: the rule
   * guards the first).
   */
  @Test
  void noInjectedParameterIsARedisClass() {
    noCodeUnits()
        .that()
        .areAnnotatedWith("jakarta.inject.Inject")
        .should()
        .haveRawParameterTypes(
            DescribedPredicate.anyElementThat(resideInAPackage("io.juggler.broker.redis..")))
        .allowEmptyShould(true)
        .check(classes);
  }

  /**
   * Key names are the Redis layout, a contract with the reference (spec 6): one place spells them.
   */
  @Test
  void onlyRedisKeysSpellsRedisKeys() throws IOException {
    Pattern literal = Pattern.compile("\"[^\"\\n]*juggler:[^\"\\n]*\"");
    List<String> found = new ArrayList<>();
    for (String module : MODULES) {
      Path sources = ROOT.resolve(module).resolve("src/main/java");
      try (Stream<Path> files = Files.walk(sources)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          if (file.endsWith("io/juggler/broker/redis/RedisKeys.java")) {
            continue;
          }
          Matcher m = literal.matcher(read(file));
          while (m.find()) {
            found.add(ROOT.relativize(file) + ": " + m.group());
          }
        }
      }
    }
    assertEquals(List.of(), found, "Redis key spellings outside RedisKeys");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
