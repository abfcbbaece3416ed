package io.juggler.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JavaScript client as a front-end project installs it: {@code src/main/js} packed with {@code
 * npm pack}, the tarball installed offline into a scratch project under {@code target/}, and the
 * package imported there by its name under Node. Its types are found through the {@code types}
 * condition of its exports. (A real call through the installed package: {@code
 * JavascriptClientIT.packedClientImportedByNameCallsTheServer}.) Skipped without node and npm,
 * failed without them when {@code CI=true}.
 */
class NpmPackageTest {

  static final List<String> EXPORTS =
      List.of(
          "DisconnectedError",
          "ExpiredError",
          "Juggler",
          "JugglerError",
          "NackError",
          "SUBPROTOCOL",
          "connect");

  /** The tarball, the npm cache, the scratch project and node's output (NAME.out, NAME.err). */
  static final Path WORK = Path.of("target", "npm-package").toAbsolutePath();

  static NpmPackage pkg;

  /** Packed and installed once, by the first test that runs (each is skipped without the tools). */
  @BeforeEach
  void packAndInstall() throws Exception {
    NpmPackage.assumeInstalled("node", "npm");
    if (pkg == null) {
      pkg = NpmPackage.packAndInstall(WORK);
      Files.copy(
          Path.of("src", "test", "js", "package-check.mjs"),
          pkg.project().resolve("package-check.mjs"),
          StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static JsonObject json(String s) {
    return Json.createReader(new StringReader(s)).readObject();
  }

  @Test
  void theTarballHoldsTheClientItsTypesReadmeAndLicenseAtTheMavenVersion() throws IOException {
    JsonObject pack = pkg.pack();
    assertEquals(NpmPackage.NAME, pack.getString("name"));
    // kept equal to the Maven version (0.1.0-SNAPSHOT is a semver pre-release of 0.1.0, as in
    // Maven)
    assertEquals(System.getProperty("juggler.version"), pack.getString("version"), "package.json");
    List<String> files =
        pack.getJsonArray("files").stream()
            .map(f -> f.asJsonObject().getString("path"))
            .sorted()
            .toList();
    assertEquals(
        List.of("LICENSE", "README.md", "juggler.d.ts", "juggler.js", "package.json"), files);
    // the very files the WAR serves as /js/juggler.js and /js/juggler.d.ts, and the project's
    // license
    Path installed = pkg.installed();
    for (String file : List.of("juggler.js", "juggler.d.ts")) {
      assertArrayEquals(
          Files.readAllBytes(NpmPackage.SOURCE.resolve(file)),
          Files.readAllBytes(installed.resolve(file)),
          file);
    }
    assertArrayEquals(
        Files.readAllBytes(Path.of("..", "LICENSE")),
        Files.readAllBytes(installed.resolve("LICENSE")),
        "src/main/js/LICENSE is a copy of the repository's LICENSE");
  }

  @Test
  void theInstalledPackageJsonDeclaresAnEsmModuleWithTypesAndNoDependencies() throws IOException {
    JsonObject p = json(Files.readString(pkg.installed().resolve("package.json")));
    assertEquals("module", p.getString("type"));
    assertEquals("Apache-2.0", p.getString("license"));
    assertEquals(JsonValue.FALSE, p.get("sideEffects"));
    assertEquals(">=20", p.getJsonObject("engines").getString("node"));
    assertEquals("./juggler.d.ts", p.getString("types"));
    // "types" first: a resolver takes the first condition it knows, and "default" must be last
    JsonObject root = p.getJsonObject("exports").getJsonObject(".");
    assertEquals(List.of("types", "default"), List.copyOf(root.keySet()));
    assertEquals("./juggler.d.ts", root.getString("types"));
    assertEquals("./juggler.js", root.getString("default"));
    for (String key :
        List.of("dependencies", "peerDependencies", "optionalDependencies", "bundleDependencies")) {
      assertFalse(p.containsKey(key), "a package without dependencies: " + key);
    }
    // the project recorded the tarball, nothing from a registry
    JsonObject project = json(Files.readString(pkg.project().resolve("package.json")));
    String spec = project.getJsonObject("dependencies").getString(NpmPackage.NAME);
    assertTrue(spec.startsWith("file:") && spec.endsWith(".tgz"), spec);
  }

  @Test
  void importedByNameUnderNodeItExportsTheClient() throws Exception {
    JsonObject r =
        json(
            NpmPackage.node(
                pkg.project(), WORK.resolve("exports"), List.of("package-check.mjs", "exports")));
    assertEquals(
        pkg.installed().resolve("juggler.js").toRealPath().toUri().toString(),
        r.getString("resolved"),
        "the default condition resolves to juggler.js");
    assertEquals(
        EXPORTS,
        r.getJsonArray("exports").getValuesAs(JsonString.class).stream()
            .map(JsonString::getString)
            .toList());
    JsonObject kinds = r.getJsonObject("kinds");
    for (String name : EXPORTS) {
      assertEquals(name.equals("SUBPROTOCOL") ? "string" : "function", kinds.getString(name), name);
    }
    assertEquals("juggler.0", r.getString("subprotocol"));
    assertTrue(r.getBoolean("jugglerErrorIsError"), r::toString);
    assertTrue(r.getBoolean("errorsAreJugglerErrors"), r::toString);
    // connect() with a stand-in WebSocket: a Juggler that opens the URL with the subprotocol
    assertTrue(r.getBoolean("connectMakesJuggler"), r::toString);
    assertEquals(
        json("{\"url\":\"ws://example.invalid/ws\",\"protocol\":\"juggler.0\"}"),
        r.getJsonArray("opened").getJsonObject(0));
    assertEquals("[\"connecting\",\"closed\"]", r.getJsonArray("states").toString());
  }

  @Test
  void theTypesConditionResolvesToDeclarationsOfEveryExport() throws Exception {
    JsonObject r =
        json(
            NpmPackage.node(
                pkg.project(),
                WORK.resolve("types"),
                List.of("--conditions=types", "package-check.mjs", "types")));
    Path declarations = pkg.installed().resolve("juggler.d.ts");
    assertEquals(declarations.toRealPath().toUri().toString(), r.getString("resolved"));
    String dts = Files.readString(declarations);
    for (String name : EXPORTS) {
      assertTrue(
          Pattern.compile("(?m)^export (declare )?(const|class|function) " + name + "\\b")
              .matcher(dts)
              .find(),
          "juggler.d.ts declares " + name);
    }
  }
}
