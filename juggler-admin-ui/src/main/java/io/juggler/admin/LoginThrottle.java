package io.juggler.admin;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down password guessing on the console's login: failed logins are counted per user name and
 * per client address. Past a free allowance ({@value #FREE_PER_USER} per user, {@value
 * #FREE_PER_ADDRESS} per address) each further failure locks that user or address out for a time
 * that doubles from {@link #FIRST_LOCK} up to {@link #MAX_LOCK}; while locked, attempts are refused
 * without checking the password (so a right guess during a lock does not get in). A success clears
 * its user and address; a record without failures for {@link #FORGET_AFTER} is forgotten. At most
 * {@value #MAX_RECORDS} records are kept per kind (the oldest go first), so made-up user names
 * cannot grow memory. Per instance (not shared through Redis). Thread-safe.
 */
public final class LoginThrottle {

  static final int FREE_PER_USER = 5;
  static final int FREE_PER_ADDRESS = 10;
  static final Duration FIRST_LOCK = Duration.ofSeconds(1);
  static final Duration MAX_LOCK = Duration.ofMinutes(15);
  static final Duration FORGET_AFTER = Duration.ofHours(1);
  static final int MAX_RECORDS = 10_000;

  private record Failures(int count, long lastMillis, long lockedUntilMillis) {}

  private final Clock clock;
  private final Map<String, Failures> users = bounded();
  private final Map<String, Failures> addresses = bounded();

  public LoginThrottle() {
    this(Clock.systemUTC());
  }

  LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  private static Map<String, Failures> bounded() {
    return new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
        return size() > MAX_RECORDS;
      }
    };
  }

  /** How long {@code user} from {@code address} must wait before trying (zero: may try now). */
  public synchronized Duration lockedFor(String user, String address) {
    long now = clock.millis();
    long until = Math.max(until(users, user, now), until(addresses, address, now));
    return Duration.ofMillis(Math.max(0, until - now));
  }

  /** Records a wrong password of {@code user} from {@code address}. */
  public synchronized void failed(String user, String address) {
    long now = clock.millis();
    record(users, user, FREE_PER_USER, now);
    record(addresses, address, FREE_PER_ADDRESS, now);
  }

  /** Clears the failures of {@code user} and {@code address} after a right password. */
  public synchronized void succeeded(String user, String address) {
    users.remove(user);
    addresses.remove(address);
  }

  private static long until(Map<String, Failures> map, String key, long now) {
    Failures f = map.get(key);
    if (f == null) {
      return 0;
    }
    if (now - f.lastMillis() > FORGET_AFTER.toMillis() && now >= f.lockedUntilMillis()) {
      map.remove(key);
      return 0;
    }
    return f.lockedUntilMillis();
  }

  private static void record(Map<String, Failures> map, String key, int free, long now) {
    until(map, key, now); // forgets a stale record
    Failures f = map.get(key);
    int count = f == null ? 1 : f.count() + 1;
    long locked = 0;
    if (count > free) {
      int doublings = Math.min(30, count - free - 1);
      long lock = Math.min(MAX_LOCK.toMillis(), FIRST_LOCK.toMillis() << doublings);
      locked = now + lock;
    }
    map.put(key, new Failures(count, now, locked));
  }
}
