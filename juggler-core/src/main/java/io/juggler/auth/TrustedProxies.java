package io.juggler.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The proxies whose {@code X-Forwarded-For} header is believed ({@code
 * juggler.server.trusted-proxies}: IP addresses and CIDR ranges such as {@code 10.0.0.0/8}). A
 * client's address is the TCP peer's; only when that peer is a trusted proxy is the header read,
 * from its right end: the first address that is not itself a trusted proxy is the client. Names are
 * never resolved (a header may hold anything). Immutable.
 */
public final class TrustedProxies {

  /** No proxy is trusted: the peer is the client. */
  public static final TrustedProxies NONE = new TrustedProxies(List.of(), "");

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
  private static final int MAX_SHOWN = 64;

  private record Range(byte[] network, int bits) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xff << (8 - rest) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  private final List<Range> ranges;
  private final String text;

  private TrustedProxies(List<Range> ranges, String text) {
    this.ranges = List.copyOf(ranges);
    this.text = text;
  }

  /**
   * Parses addresses and ranges.
   *
   * @throws IllegalArgumentException naming an entry that is neither
   */
  public static TrustedProxies parse(List<String> entries) {
    List<Range> out = new ArrayList<>();
    for (String e : entries) {
      String[] parts = e.trim().split("/", 2);
      byte[] address = literal(parts[0]);
      if (address == null) {
        throw new IllegalArgumentException(
            "'" + e + "' is not an IP address or CIDR range (e.g. 10.0.0.0/8)");
      }
      int bits = address.length * 8;
      if (parts.length == 2) {
        try {
          bits = Integer.parseInt(parts[1]);
        } catch (NumberFormatException x) {
          bits = -1;
        }
        if (bits < 0 || bits > address.length * 8) {
          throw new IllegalArgumentException("'" + e + "' has an invalid prefix length");
        }
      }
      out.add(new Range(address, bits));
    }
    return new TrustedProxies(out, String.join(",", entries));
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** Whether {@code address} (an IP literal) is one of the trusted proxies. */
  public boolean trusts(String address) {
    byte[] a = literal(address);
    return a != null && ranges.stream().anyMatch(r -> r.contains(a));
  }

  /**
   * Whether the client reached the server over TLS: the request itself was ({@code secure}), or
   * {@code peer} is a trusted proxy whose {@code X-Forwarded-Proto} ({@code forwardedProto}, may be
   * null) says {@code https}.
   */
  public boolean overTls(boolean secure, String peer, String forwardedProto) {
    return secure || ("https".equalsIgnoreCase(forwardedProto) && trusts(peer));
  }

  /**
   * The client's address: {@code peer}, or when {@code peer} is trusted, the last untrusted address
   * of {@code forwardedFor} (the {@code X-Forwarded-For} header, may be null).
   */
  public String clientAddress(String peer, String forwardedFor) {
    if (forwardedFor == null || forwardedFor.isBlank() || !trusts(peer)) {
      return peer;
    }
    String[] hops = forwardedFor.split(",");
    String client = peer;
    for (int i = hops.length - 1; i >= 0; i--) {
      client = shown(hops[i].trim());
      if (!trusts(client)) {
        break;
      }
    }
    return client;
  }

  /** An address as given by a proxy, cut short and without control characters. */
  private static String shown(String s) {
    String cut = s.length() > MAX_SHOWN ? s.substring(0, MAX_SHOWN) : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  /** The bytes of an IPv4 or IPv6 literal, or null when {@code s} is not one (never resolved). */
  static byte[] literal(String s) {
    if (s == null) {
      return null;
    }
    String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    if (IPV4.matcher(t).matches()) {
      byte[] b = new byte[4];
      String[] octets = t.split("\\.");
      for (int i = 0; i < 4; i++) {
        int n = Integer.parseInt(octets[i]);
        if (n > 255) {
          return null;
        }
        b[i] = (byte) n;
      }
      return b;
    }
    if (!IPV6.matcher(t).matches()) {
      return null;
    }
    try {
      // a string with a colon is only ever parsed as an IPv6 literal, never looked up
      return InetAddress.getByName(t).getAddress();
    } catch (UnknownHostException | SecurityException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrustedProxies other && other.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
