package net.adgrid.serving.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import net.adgrid.campaigns.entity.Browser;
import net.adgrid.campaigns.entity.CampaignType;
import net.adgrid.campaigns.entity.CreativeKind;
import net.adgrid.campaigns.entity.Device;
import net.adgrid.campaigns.entity.Targeting;
import net.adgrid.serving.control.Selection.Candidate;
import net.adgrid.serving.control.Selection.Visit;
import org.junit.jupiter.api.Test;

class SelectionTest {

  // A Monday, 10:00 UTC.
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final Visit VISIT =
      new Visit(Device.DESKTOP, Browser.FIREFOX, "de-DE", "news.example.com", Set.of("tech"));

  private static Candidate candidate(
      long campaign, long creative, CampaignType type, Integer priority, int weight) {
    return new Candidate(
        campaign,
        creative,
        type,
        priority,
        weight,
        NOW.minusSeconds(3600),
        null,
        ZoneId.of("UTC"),
        Targeting.ANY,
        CreativeKind.IMAGE);
  }

  private static Optional<Candidate> choose(List<Candidate> candidates, long seed) {
    return Selection.choose(candidates, VISIT, NOW, c -> true, new SplittableRandom(seed));
  }

  @Test
  void overrideThenContractByPriorityThenRemnant() {
    Candidate remnant = candidate(1, 11, CampaignType.REMNANT, null, 1000);
    Candidate low = candidate(2, 21, CampaignType.CONTRACT, 1, 1000);
    Candidate high = candidate(3, 31, CampaignType.CONTRACT, 9, 1);
    Candidate override = candidate(4, 41, CampaignType.OVERRIDE, null, 1);
    for (long seed = 0; seed < 20; seed++) {
      assertEquals(override, choose(List.of(remnant, low, high, override), seed).orElseThrow());
      assertEquals(high, choose(List.of(remnant, low, high), seed).orElseThrow());
      assertEquals(low, choose(List.of(remnant, low), seed).orElseThrow());
    }
  }

  @Test
  void withinATierCampaignsShareByWeightAndCreativesEvenly() {
    List<Candidate> candidates =
        List.of(
            candidate(1, 11, CampaignType.REMNANT, null, 3),
            candidate(1, 12, CampaignType.REMNANT, null, 3),
            candidate(2, 21, CampaignType.REMNANT, null, 1));
    Map<Long, Integer> byCreative = new HashMap<>();
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 40_000; i++) {
      Candidate c = Selection.choose(candidates, VISIT, NOW, x -> true, random).orElseThrow();
      byCreative.merge(c.creativeId(), 1, Integer::sum);
    }
    // Campaign 1 has 3/4 of the traffic, split over its two creatives; campaign 2 a quarter.
    assertEquals(15_000, byCreative.get(11L), 600);
    assertEquals(15_000, byCreative.get(12L), 600);
    assertEquals(10_000, byCreative.get(21L), 600);
  }

  @Test
  void theSameSeedChoosesTheSame() {
    List<Candidate> candidates =
        List.of(
            candidate(1, 11, CampaignType.REMNANT, null, 1),
            candidate(2, 21, CampaignType.REMNANT, null, 1));
    for (long seed = 0; seed < 50; seed++) {
      assertEquals(choose(candidates, seed), choose(candidates, seed));
    }
  }

  @Test
  void scheduleAndTargetingAreReadInTheAdvertisersZone() {
    Candidate ended =
        new Candidate(
            1,
            11,
            CampaignType.OVERRIDE,
            null,
            1,
            NOW.minusSeconds(7200),
            NOW,
            ZoneId.of("UTC"),
            Targeting.ANY,
            CreativeKind.TEXT);
    Candidate notYet =
        new Candidate(
            2,
            21,
            CampaignType.OVERRIDE,
            null,
            1,
            NOW.plusSeconds(1),
            null,
            ZoneId.of("UTC"),
            Targeting.ANY,
            CreativeKind.TEXT);
    // 10:00 UTC is 19:00 in Tokyo: an evening-only campaign there runs now, a morning one not.
    Targeting evenings =
        new Targeting(Set.of(DayOfWeek.MONDAY), Set.of(19), null, null, null, null, null)
            .normalized();
    Targeting mornings = new Targeting(null, Set.of(10), null, null, null, null, null).normalized();
    Candidate tokyoEvening =
        new Candidate(
            3,
            31,
            CampaignType.CONTRACT,
            5,
            1,
            NOW.minusSeconds(60),
            null,
            ZoneId.of("Asia/Tokyo"),
            evenings,
            CreativeKind.TEXT);
    Candidate tokyoMorning =
        new Candidate(
            4,
            41,
            CampaignType.OVERRIDE,
            null,
            1,
            NOW.minusSeconds(60),
            null,
            ZoneId.of("Asia/Tokyo"),
            mornings,
            CreativeKind.TEXT);
    assertEquals(
        tokyoEvening, choose(List.of(ended, notYet, tokyoEvening, tokyoMorning), 1).orElseThrow());
    assertEquals(Optional.empty(), choose(List.of(ended, notYet, tokyoMorning), 1));
  }

  @Test
  void aRefusedCampaignLeavesTheTrafficToTheNext() {
    Candidate paced = candidate(1, 11, CampaignType.CONTRACT, 10, 1);
    Candidate other = candidate(2, 21, CampaignType.CONTRACT, 10, 1);
    Candidate remnant = candidate(3, 31, CampaignType.REMNANT, null, 1);
    for (long seed = 0; seed < 20; seed++) {
      assertEquals(
          other,
          Selection.choose(
                  List.of(paced, other, remnant),
                  VISIT,
                  NOW,
                  c -> c != paced,
                  new SplittableRandom(seed))
              .orElseThrow());
      assertEquals(
          remnant,
          Selection.choose(
                  List.of(paced, remnant), VISIT, NOW, c -> c != paced, new SplittableRandom(seed))
              .orElseThrow());
    }
    assertTrue(
        Selection.choose(List.of(paced), VISIT, NOW, c -> false, new SplittableRandom(1))
            .isEmpty());
  }
}
