package net.adgrid.serving.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import net.adgrid.serving.control.EventTokens.Kind;
import org.junit.jupiter.api.Test;

class TrafficRulesTest {

  private static final String FIREFOX =
      "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
  private static final TrafficRules RULES =
      TrafficRules.standard("10.9.0.0/16, 2a01:4f8::/32", Duration.ofSeconds(1));

  private static byte[] ip(String literal) throws Exception {
    return InetAddress.getByName(literal).getAddress();
  }

  @Test
  void browsersPassCrawlersHeadlessBrowsersAndLibrariesDoNot() throws Exception {
    byte[] home = ip("81.2.69.160");
    assertEquals(TrafficRules.OK, RULES.screen(FIREFOX, home));
    assertEquals(
        TrafficRules.OK,
        RULES.screen(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15"
                + " (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            home));
    for (String bot :
        new String[] {
          "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
          "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
          "facebookexternalhit/1.1",
          "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
              + " HeadlessChrome/120.0.0.0 Safari/537.36",
          "Mozilla/5.0 (compatible; AhrefsBot/7.0)",
          "Mozilla/5.0 python-requests/2.31"
        }) {
      assertEquals(TrafficRules.BOT, RULES.screen(bot, home), bot);
    }
    assertEquals(TrafficRules.BOT, RULES.screen("curl/8.4.0", home));
    assertEquals(TrafficRules.NON_BROWSER, RULES.screen(null, home));
    assertEquals(TrafficRules.NON_BROWSER, RULES.screen("  ", home));
    assertEquals(TrafficRules.NON_BROWSER, RULES.screen("SomeApp/1.0 (Linux)", home));
  }

  @Test
  void listedNetworksFromTheRepositoryAndTheEnvironment() throws Exception {
    assertEquals(TrafficRules.IP_LISTED, RULES.screen(FIREFOX, ip("192.0.2.77")));
    assertEquals(TrafficRules.IP_LISTED, RULES.screen(FIREFOX, ip("198.19.255.1")));
    assertEquals(TrafficRules.OK, RULES.screen(FIREFOX, ip("198.20.0.1")));
    assertEquals(TrafficRules.IP_LISTED, RULES.screen(FIREFOX, ip("10.9.200.3")));
    assertEquals(TrafficRules.OK, RULES.screen(FIREFOX, ip("10.10.0.1")));
    assertEquals(TrafficRules.IP_LISTED, RULES.screen(FIREFOX, ip("2a01:4f8:1::5")));
    assertEquals(TrafficRules.OK, RULES.screen(FIREFOX, ip("2a01:4f9::5")));
    assertEquals(TrafficRules.OK, RULES.screen(FIREFOX, null));
  }

  @Test
  void aNetworkMaskCutsInsideAByte() {
    TrafficRules.Network net = TrafficRules.Network.parse("172.16.0.0/12");
    assertEquals(true, net.contains(new byte[] {(byte) 172, 31, (byte) 255, 1}));
    assertEquals(false, net.contains(new byte[] {(byte) 172, 32, 0, 1}));
    assertEquals(false, net.contains(new byte[16]));
    assertThrows(IllegalArgumentException.class, () -> TrafficRules.Network.parse("10.0.0.0/33"));
    assertThrows(IllegalArgumentException.class, () -> TrafficRules.Network.parse("example.com/8"));
  }

  @Test
  void clicksNeedTheirImpressionAndAHumanDelay() {
    Instant shown = Instant.parse("2026-11-23T12:00:00Z");
    assertEquals(TrafficRules.NO_IMPRESSION, RULES.afterImpression(Kind.CLICK, null, shown));
    assertEquals(TrafficRules.NO_IMPRESSION, RULES.afterImpression(Kind.VIEWABLE, null, shown));
    assertEquals(
        TrafficRules.TOO_FAST, RULES.afterImpression(Kind.CLICK, shown, shown.plusMillis(999)));
    assertEquals(TrafficRules.OK, RULES.afterImpression(Kind.CLICK, shown, shown.plusMillis(1000)));
    assertEquals(
        TrafficRules.OK, RULES.afterImpression(Kind.VIEWABLE, shown, shown.plusMillis(10)));
  }
}
