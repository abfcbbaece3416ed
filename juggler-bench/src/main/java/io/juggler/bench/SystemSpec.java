package io.juggler.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A system of scenario 4 as spelled in {@code --systems}: {@code go}, {@code payara-micro} or
 * {@code open-liberty}, a Juggler EE one optionally followed by {@code @} and a JDK ({@link
 * ServerJvm}: {@code payara-micro@25}, {@code open-liberty@25+coh}).
 *
 * @param label as spelled, the system's name in the report
 * @param base the system without its JDK
 * @param jdk what follows {@code @}, or {@code ""} (the benchmark's own JVM)
 */
record SystemSpec(String label, String base, String jdk) {

  static final String GO = "go";

  /**
   * Reads one spelling; the JDK is only checked for its form here (see {@link #jvm()}).
   *
   * @throws IllegalArgumentException for an unknown system, or a JDK on the Go reference
   */
  static SystemSpec parse(String spelling) {
    String s = spelling.strip();
    int at = s.indexOf('@');
    String base = at < 0 ? s : s.substring(0, at);
    String jdk = at < 0 ? "" : s.substring(at + 1);
    if (!SideBySide.SYSTEMS.contains(base)) {
      throw new IllegalArgumentException(
          "--systems: " + base + " is none of " + String.join(", ", SideBySide.SYSTEMS));
    }
    if (base.equals(GO) && at >= 0) {
      throw new IllegalArgumentException("--systems: the Go reference has no JDK: " + s);
    }
    if (at >= 0 && jdk.isEmpty()) {
      throw new IllegalArgumentException("--systems: no JDK after @ in " + s);
    }
    return new SystemSpec(s, base, jdk);
  }

  /** A comma-separated list, in its order, each system once. */
  static List<SystemSpec> list(String csv) {
    List<SystemSpec> out = new ArrayList<>();
    for (String s : csv.split(",")) {
      if (s.isBlank()) {
        continue;
      }
      SystemSpec spec = parse(s);
      if (out.stream().anyMatch(o -> o.label().equals(spec.label()))) {
        throw new IllegalArgumentException("--systems: " + spec.label() + " twice");
      }
      out.add(spec);
    }
    return out;
  }

  boolean isGo() {
    return base.equals(GO);
  }

  /** Its JDK, looked up (in {@link ServerJvm#JVMS}). */
  ServerJvm jvm() {
    return jdk.isEmpty() ? ServerJvm.bench() : ServerJvm.parse(jdk, ServerJvm.JVMS);
  }
}
