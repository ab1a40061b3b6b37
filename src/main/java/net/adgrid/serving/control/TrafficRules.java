package net.adgrid.serving.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The invalid-traffic rules that look at one event alone: who sent it (user agent, network) and,
 * for a click or a viewable event, whether and when its impression was recorded. The rules that
 * need the whole cluster (replays, rate limits) are applied by the event writer. Every rule gives a
 * reason code that is stored with the event; only {@link #OK} events may be billed.
 */
public final class TrafficRules {

  public static final String OK = "OK";

  /** A known crawler, monitor, headless browser or HTTP library (traffic/bots.txt). */
  public static final String BOT = "BOT";

  /** No User-Agent, or one that names no browser. */
  public static final String NON_BROWSER = "NON_BROWSER";

  /** From a listed network (traffic/blocked-networks.txt, ADGRID_BLOCKED_NETWORKS). */
  public static final String IP_LISTED = "IP_LISTED";

  /** A click or viewable event whose impression was never recorded. */
  public static final String NO_IMPRESSION = "NO_IMPRESSION";

  /** A click sooner after its impression than a person can click. */
  public static final String TOO_FAST = "TOO_FAST";

  /** More events from one address in a minute than the cluster-wide limit. */
  public static final String RATE_IP = "RATE_IP";

  /** More events from one visitor in a minute than the cluster-wide limit. */
  public static final String RATE_VISITOR = "RATE_VISITOR";

  /** A token that was already counted (stored, never billed). */
  public static final String REPLAY = "REPLAY";

  /** Valid, but the campaign's caps or budget were used up. */
  public static final String OVER_CAP = "OVER_CAP";

  /** Valid, but the node's lease had expired (the node was frozen) before the event committed. */
  public static final String LEASE_LOST = "LEASE_LOST";

  /** A network in CIDR notation. */
  record Network(byte[] prefix, int bits) {

    static Network parse(String cidr) {
      String[] parts = cidr.trim().split("/", 2);
      try {
        byte[] address = InetAddress.getByName(literal(parts[0])).getAddress();
        int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
        if (bits < 0 || bits > address.length * 8) {
          throw new IllegalArgumentException("bad prefix length in " + cidr);
        }
        return new Network(address, bits);
      } catch (UnknownHostException | NumberFormatException e) {
        throw new IllegalArgumentException("not a network: " + cidr, e);
      }
    }

    /** Only literal addresses: never a name lookup. */
    private static String literal(String text) throws UnknownHostException {
      if (!text.matches("[0-9a-fA-F:.]+") || !(text.contains(".") || text.contains(":"))) {
        throw new UnknownHostException("not an address literal: " + text);
      }
      return text;
    }

    boolean contains(byte[] address) {
      if (address.length != prefix.length) {
        return false;
      }
      int whole = bits / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != prefix[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[whole] & mask) == (prefix[whole] & mask);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Network n && bits == n.bits && Arrays.equals(prefix, n.prefix);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(prefix) + bits;
    }

    @Override
    public String toString() {
      return Arrays.toString(prefix) + "/" + bits;
    }
  }

  private final List<String> botFragments;
  private final List<Network> networks;
  private final Duration minClickDelay;

  public TrafficRules(List<String> botFragments, List<Network> networks, Duration minClickDelay) {
    this.botFragments =
        botFragments.stream().map(f -> f.toLowerCase(Locale.ROOT)).distinct().toList();
    this.networks = List.copyOf(networks);
    this.minClickDelay = minClickDelay;
  }

  /** The lists shipped in the WAR, plus the networks in {@code extraNetworks} (comma-separated). */
  public static TrafficRules standard(String extraNetworks, Duration minClickDelay) {
    List<Network> networks = new ArrayList<>();
    for (String line : lines("traffic/blocked-networks.txt")) {
      networks.add(Network.parse(line));
    }
    if (extraNetworks != null) {
      for (String cidr : extraNetworks.split(",")) {
        if (!cidr.isBlank()) {
          networks.add(Network.parse(cidr));
        }
      }
    }
    return new TrafficRules(lines("traffic/bots.txt"), networks, minClickDelay);
  }

  static List<String> lines(String resource) {
    InputStream in = TrafficRules.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException(resource + " is missing from the application");
    }
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        String trimmed = line.trim();
        if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
          lines.add(trimmed);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }

  /** What the sender alone says: BOT, NON_BROWSER, IP_LISTED or OK. */
  public String screen(String userAgent, byte[] address) {
    if (address != null) {
      for (Network network : networks) {
        if (network.contains(address)) {
          return IP_LISTED;
        }
      }
    }
    if (userAgent == null || userAgent.isBlank()) {
      return NON_BROWSER;
    }
    String agent = userAgent.toLowerCase(Locale.ROOT);
    for (String fragment : botFragments) {
      if (agent.contains(fragment)) {
        return BOT;
      }
    }
    if (!agent.startsWith("mozilla/") && !agent.startsWith("opera/")) {
      return NON_BROWSER;
    }
    return OK;
  }

  /**
   * For a click or viewable event: NO_IMPRESSION when its impression was never recorded, TOO_FAST
   * for a click sooner after it than the minimum delay, else OK.
   */
  public String afterImpression(EventTokens.Kind kind, Instant impressionAt, Instant at) {
    if (impressionAt == null) {
      return NO_IMPRESSION;
    }
    if (kind == EventTokens.Kind.CLICK
        && Duration.between(impressionAt, at).compareTo(minClickDelay) < 0) {
      return TOO_FAST;
    }
    return OK;
  }

  public Duration minClickDelay() {
    return minClickDelay;
  }
}
