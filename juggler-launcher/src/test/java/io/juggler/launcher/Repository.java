package io.juggler.launcher;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the repository, for tests that check or use its files. */
final class Repository {

  private Repository() {}

  /** The repository root: the nearest folder above the working directory holding mvnw. */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("not inside the repository: " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
