package io.juggler.testing.reference;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Go reference's binaries ({@code shared/reference/go-juggler/bin}), which compatibility tests
 * run when this machine has them and skip otherwise: in {@code JUGGLER_REFERENCE_DIR}, else the
 * shared folder next to the repository (seen from a module or from the repository) or at its usual
 * place.
 */
public final class ReferenceBinaries {

  private ReferenceBinaries() {}

  /** The first {@code bin} folder that holds every one of {@code tools}, executable. */
  public static Optional<Path> find(String... tools) {
    String dir = System.getenv("JUGGLER_REFERENCE_DIR");
    return Stream.of(
            dir == null ? null : Path.of(dir),
            Path.of("..", "..", "shared", "reference", "go-juggler"),
            Path.of("..", "shared", "reference", "go-juggler"),
            Path.of("/work/shared/reference/go-juggler"))
        .filter(Objects::nonNull)
        .map(p -> p.resolve("bin").toAbsolutePath().normalize())
        .filter(b -> Stream.of(tools).allMatch(tool -> Files.isExecutable(b.resolve(tool))))
        .findFirst();
  }
}
