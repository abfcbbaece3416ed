package io.juggler.admin;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down password guessing on the console's login: failed logins are counted per user name
 * <i>from</i> a client address, and per client address. Past a free allowance ({@value
 * #FREE_PER_USER} per user from one address, {@value #FREE_PER_ADDRESS} per address) each further
 * failure locks that user from that address, or that address, out for a time that doubles from
 * {@link #FIRST_LOCK} up to {@link #MAX_LOCK}; while locked, attempts are refused without checking
 * the password (so a right guess during a lock does not get in).
 *
 * <p><b>Why per address.</b> A lock on a user name alone is a lock anyone can keep on the real
 * user: five wrong passwords every fifteen minutes, from anywhere, kept {@code admin} out for good.
 * Keyed by the address the guesses come from, the guesser locks out only itself. (Behind a proxy,
 * the address is the client's only with {@code juggler.server.trusted-proxies}; otherwise every
 * client shares the proxy's.)
 *
 * <p><b>Atomic.</b> {@link #begin} decides and counts the attempt in one step: an attempt counts as
 * failed until {@link #succeeded} says otherwise, so a burst of parallel guesses cannot all pass
 * one check before any failure is recorded.
 *
 * <p>A success clears its user's record from that address and the address's; a record without
 * failures for {@link #FORGET_AFTER} is forgotten. At most {@value #MAX_RECORDS} records are kept
 * per kind (the oldest go first), so made-up user names or addresses cannot grow memory. Per
 * instance (not shared through Redis). Thread-safe.
 */
@ApplicationScoped
public class LoginThrottle {

  static final int FREE_PER_USER = 5;
  static final int FREE_PER_ADDRESS = 10;
  static final Duration FIRST_LOCK = Duration.ofSeconds(1);
  static final Duration MAX_LOCK = Duration.ofMinutes(15);
  static final Duration FORGET_AFTER = Duration.ofHours(1);
  static final int MAX_RECORDS = 10_000;

  private record Failures(int count, long lastMillis, long lockedUntilMillis, boolean reported) {}

  /**
   * The answer of {@link #begin}: how long to wait (zero: the attempt may go ahead, and counts as a
   * failure until it succeeds), and whether this is the first refusal of the current lock (the one
   * worth an audit record: the lock's further refusals would only flood the audit list).
   */
  public record Lock(Duration retryAfter, boolean first) {
    public boolean locked() {
      return !retryAfter.isZero();
    }
  }

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
    long until =
        Math.max(until(users, userKey(user, address), now), until(addresses, address, now));
    return Duration.ofMillis(Math.max(0, until - now));
  }

  /**
   * Starts a login attempt of {@code user} from {@code address}: refused while either is locked
   * (noting that the lock's refusal has been reported), else counted as a failure at once, to be
   * cleared by {@link #succeeded}.
   */
  public synchronized Lock begin(String user, String address) {
    Duration wait = lockedFor(user, address);
    long now = clock.millis();
    if (!wait.isZero()) {
      boolean first = report(users, userKey(user, address), now) | report(addresses, address, now);
      return new Lock(wait, first);
    }
    record(users, userKey(user, address), FREE_PER_USER, now);
    record(addresses, address, FREE_PER_ADDRESS, now);
    return new Lock(Duration.ZERO, false);
  }

  /**
   * Clears the failures of {@code user} from {@code address}, and the address's, after a success.
   */
  public synchronized void succeeded(String user, String address) {
    users.remove(userKey(user, address));
    addresses.remove(address);
  }

  /** Records kept, of both kinds (for tests). */
  synchronized int records() {
    return users.size() + addresses.size();
  }

  private static String userKey(String user, String address) {
    return user + '\u0000' + address;
  }

  private static boolean report(Map<String, Failures> map, String key, long now) {
    Failures f = map.get(key);
    if (f == null || f.lockedUntilMillis() <= now || f.reported()) {
      return false;
    }
    map.put(key, new Failures(f.count(), f.lastMillis(), f.lockedUntilMillis(), true));
    return true;
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
    map.put(key, new Failures(count, now, locked, false));
  }
}
