// SPDX-License-Identifier: Apache-2.0
package com.example.greeter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The greeter page in a headless Chromium ({@code /usr/bin/chromium} driven by {@code
 * /usr/bin/chromedriver}, Debian's packages; both paths given, so Selenium never downloads a
 * browser). Its Content-Security-Policy forbids inline script: the page works only as files.
 */
final class GreeterPage implements AutoCloseable {

  private final ChromeDriver driver;
  private final Path profile;

  private GreeterPage(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  static GreeterPage open(URI page) throws IOException {
    Path profile = Files.createTempDirectory(Path.of("target"), "chrome-profile");
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--user-data-dir=" + profile.toAbsolutePath());
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .withSilent(true)
            .build();
    GreeterPage greeterPage = new GreeterPage(new ChromeDriver(service, options), profile);
    try {
      greeterPage.driver.get(page.toString());
      greeterPage.await(() -> "open".equals(greeterPage.text("state")), "the websocket open");
      return greeterPage;
    } catch (RuntimeException | Error e) {
      greeterPage.close();
      throw e;
    }
  }

  /** Types {@code name}, presses Greet and returns the answer the page shows. */
  String greet(String name) {
    driver.findElement(By.id("name")).clear();
    driver.findElement(By.id("name")).sendKeys(name);
    driver.findElement(By.id("greet")).click();
    await(() -> !text("answer").isEmpty() && !text("answer").equals("…"), "an answer");
    return text("answer");
  }

  /** Nothing the page did was refused (a CSP violation is a SEVERE console entry). */
  void assertNoErrorsInTheConsole() {
    List<String> severe =
        driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .map(LogEntry::getMessage)
            .toList();
    assertEquals(List.of(), severe);
  }

  private String text(String id) {
    return driver.findElement(By.id(id)).getText();
  }

  private void await(Supplier<Boolean> condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " on the page after 20 s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }
}
