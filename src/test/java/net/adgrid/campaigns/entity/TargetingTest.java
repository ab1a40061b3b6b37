package net.adgrid.campaigns.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import net.adgrid.platform.Problem.FieldError;
import org.junit.jupiter.api.Test;

class TargetingTest {

  private static final Targeting.Context TUESDAY_NOON_CHROME =
      new Targeting.Context(
          DayOfWeek.TUESDAY,
          12,
          Device.DESKTOP,
          Browser.CHROME,
          "en-GB",
          "news.example.com",
          Set.of("sports", "football"));

  private static Targeting only(
      Set<DayOfWeek> days,
      Set<Integer> hours,
      Set<Device> devices,
      List<String> languages,
      List<String> referrers,
      List<String> keywords) {
    return new Targeting(days, hours, devices, Set.of(), languages, referrers, keywords)
        .normalized();
  }

  private static List<String> fields(Targeting targeting) {
    return targeting.problems().stream().map(FieldError::field).toList();
  }

  @Test
  void nothingRestrictedMatchesEveryone() {
    assertTrue(Targeting.ANY.matches(TUESDAY_NOON_CHROME));
    assertTrue(Targeting.ANY.matches(new Targeting.Context(null, 0, null, null, null, null, null)));
    Targeting empty = new Targeting(null, null, null, null, null, null, null);
    assertTrue(empty.restrictsNothing());
    assertEquals(List.of(), empty.problems());
    assertEquals(List.of(), Targeting.ANY.problems());
  }

  @Test
  void eachPartRestrictsOnItsOwn() {
    Targeting.Context c = TUESDAY_NOON_CHROME;
    assertTrue(only(Set.of(DayOfWeek.TUESDAY), null, null, null, null, null).matches(c));
    assertFalse(only(Set.of(DayOfWeek.MONDAY), null, null, null, null, null).matches(c));
    assertTrue(only(null, Set.of(12, 13), null, null, null, null).matches(c));
    assertFalse(only(null, Set.of(11, 13), null, null, null, null).matches(c));
    assertFalse(only(null, null, Set.of(Device.MOBILE), null, null, null).matches(c));
    assertFalse(
        new Targeting(null, null, null, Set.of(Browser.FIREFOX), null, null, null)
            .normalized()
            .matches(c));
  }

  @Test
  void languagesMatchTheirSubtagsAndDomainsTheirSubdomains() {
    Targeting.Context c = TUESDAY_NOON_CHROME;
    assertTrue(only(null, null, null, List.of("EN"), null, null).matches(c));
    assertFalse(only(null, null, null, List.of("en-us"), null, null).matches(c));
    assertTrue(only(null, null, null, null, List.of("example.com"), null).matches(c));
    assertFalse(only(null, null, null, null, List.of("ample.com"), null).matches(c));
    Targeting.Context noReferrer =
        new Targeting.Context(DayOfWeek.TUESDAY, 12, null, null, null, null, Set.of());
    assertFalse(only(null, null, null, null, List.of("example.com"), null).matches(noReferrer));
    assertFalse(only(null, null, null, List.of("en"), null, null).matches(noReferrer));
  }

  @Test
  void anyKeywordOfThePageMatches() {
    Targeting.Context c = TUESDAY_NOON_CHROME;
    assertTrue(only(null, null, null, null, null, List.of("Football", "golf")).matches(c));
    assertFalse(only(null, null, null, null, null, List.of("golf")).matches(c));
  }

  @Test
  void badPartsAreNamed() {
    Targeting bad =
        new Targeting(
            null,
            Set.of(24),
            null,
            null,
            List.of("english"),
            List.of("https://example.com/"),
            List.of("a,b"));
    assertEquals(
        List.of(
            "targeting.hours",
            "targeting.languages",
            "targeting.referrerDomains",
            "targeting.keywords"),
        fields(bad));
    Set<DayOfWeek> withNull = new HashSet<>(Arrays.asList(DayOfWeek.MONDAY, null));
    assertEquals(
        List.of("targeting.days"),
        fields(new Targeting(withNull, null, null, null, null, null, null)));
    List<String> many = IntStream.range(0, 51).mapToObj(i -> "k" + i).toList();
    assertEquals(
        List.of("targeting.keywords"),
        fields(new Targeting(null, null, null, null, null, null, many)));
  }

  @Test
  void storedAndReadBackTheSame() {
    Campaign campaign =
        new Campaign(
            1L,
            "C",
            CampaignType.REMNANT,
            null,
            Instant.parse("2026-12-01T00:00:00Z"),
            Pricing.CPM,
            BigDecimal.ONE,
            BigDecimal.TEN);
    Targeting targeting =
        new Targeting(
            Set.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY),
            Set.of(20, 8, 9),
            Set.of(Device.MOBILE, Device.TABLET),
            Set.of(Browser.SAFARI),
            List.of(" de ", "fr-CH"),
            List.of("Example.org"),
            List.of("Winter sale"));
    campaign.target(targeting);
    assertEquals(targeting.normalized(), campaign.targeting());
    assertEquals(List.of("de", "fr-ch"), campaign.targeting().languages());
    campaign.target(null);
    assertTrue(campaign.targeting().restrictsNothing());
  }

  @Test
  void hoursAsPeopleWriteThem() {
    assertEquals(Set.of(8, 9, 10, 14), Targeting.parseHours("8-10, 14"));
    assertEquals("8-10, 14, 23", Targeting.hoursText(Set.of(8, 9, 10, 14, 23)));
    assertEquals("", Targeting.hoursText(Set.of()));
    assertEquals(Set.of(), Targeting.parseHours(" "));
    assertNull(Targeting.parseHours("10-8"));
    assertNull(Targeting.parseHours("24"));
    assertNull(Targeting.parseHours("nine"));
    assertNull(Targeting.parseHours("1-2-3"));
  }
}
