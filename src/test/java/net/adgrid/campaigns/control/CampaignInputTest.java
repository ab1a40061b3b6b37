package net.adgrid.campaigns.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import net.adgrid.campaigns.entity.Campaign;
import net.adgrid.campaigns.entity.CampaignStatus;
import net.adgrid.campaigns.entity.CampaignType;
import net.adgrid.campaigns.entity.Pacing;
import net.adgrid.campaigns.entity.Pricing;
import net.adgrid.platform.Problem.FieldError;
import org.junit.jupiter.api.Test;

class CampaignInputTest {

  private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

  private static CampaignInput contract(
      Integer priority, Instant endsAt, BigDecimal rate, Integer frequency, Integer hours) {
    return new CampaignInput(
        "Winter",
        CampaignType.CONTRACT,
        priority,
        null,
        START,
        endsAt,
        1000L,
        null,
        null,
        null,
        Pricing.CPM,
        rate,
        new BigDecimal("100.00"),
        Pacing.EVEN,
        frequency,
        hours,
        null,
        null);
  }

  private static List<String> fields(CampaignInput input) {
    return input.problems().stream().map(FieldError::field).toList();
  }

  @Test
  void aCompleteCampaignHasNoProblems() {
    assertEquals(
        List.of(), contract(5, START.plusSeconds(86400), new BigDecimal("2.5"), 3, 24).problems());
  }

  @Test
  void eachRuleNamesItsField() {
    assertEquals(List.of("priority"), fields(contract(null, null, BigDecimal.ONE, null, null)));
    assertEquals(List.of("priority"), fields(contract(11, null, BigDecimal.ONE, null, null)));
    assertEquals(List.of("endsAt"), fields(contract(5, START, BigDecimal.ONE, null, null)));
    assertEquals(List.of("rate"), fields(contract(5, null, new BigDecimal("-1"), null, null)));
    assertEquals(List.of("rate"), fields(contract(5, null, new BigDecimal("0.00001"), null, null)));
    assertEquals(List.of("rate"), fields(contract(5, null, null, null, null)));
    assertEquals(List.of("frequencyCap"), fields(contract(5, null, BigDecimal.ONE, 3, null)));
    assertEquals(List.of("frequencyHours"), fields(contract(5, null, BigDecimal.ONE, 3, 0)));
  }

  @Test
  void timesAreComparedAsPostgreSqlStoresThemAndStayInItsRange() {
    Instant start = Instant.parse("2026-12-01T00:00:00.0000001Z");
    Instant end = Instant.parse("2026-12-01T00:00:00.0000002Z");
    CampaignInput sameMicrosecond =
        new CampaignInput(
            "W",
            CampaignType.REMNANT,
            null,
            null,
            start,
            end,
            null,
            null,
            null,
            null,
            Pricing.CPM,
            BigDecimal.ONE,
            BigDecimal.ONE,
            null,
            null,
            null,
            null,
            null);
    assertEquals(List.of("endsAt"), fields(sameMicrosecond));
    CampaignInput farFuture =
        new CampaignInput(
            "W",
            CampaignType.REMNANT,
            null,
            null,
            Instant.parse("+300000-01-01T00:00:00Z"),
            null,
            null,
            null,
            null,
            null,
            Pricing.CPM,
            BigDecimal.ONE,
            BigDecimal.ONE,
            null,
            null,
            null,
            null,
            null);
    assertEquals(List.of("startsAt"), fields(farFuture));
  }

  @Test
  void onlyContractsHaveAPriority() {
    CampaignInput remnant =
        new CampaignInput(
            "R",
            CampaignType.REMNANT,
            3,
            null,
            START,
            null,
            null,
            null,
            null,
            null,
            Pricing.CPC,
            BigDecimal.ONE,
            BigDecimal.TEN,
            null,
            null,
            null,
            0,
            null);
    assertEquals(List.of("priority", "weight"), fields(remnant));
  }

  @Test
  void moneyStaysExact() {
    Campaign campaign = contract(5, null, new BigDecimal("0.1000"), null, null).newCampaign(7L);
    assertEquals(new BigDecimal("0.1000"), campaign.rate());
    assertEquals(7L, campaign.accountId());
    assertEquals(CampaignStatus.DRAFT, campaign.status());
  }

  @Test
  void statusMovesOnlyAlongItsLife() {
    Campaign campaign = contract(5, null, BigDecimal.ONE, null, null).newCampaign(1L);
    assertFalse(campaign.changeStatus(CampaignStatus.PAUSED), "a draft cannot be paused");
    assertTrue(campaign.changeStatus(CampaignStatus.ACTIVE));
    assertTrue(campaign.changeStatus(CampaignStatus.PAUSED));
    assertTrue(campaign.changeStatus(CampaignStatus.ACTIVE));
    assertTrue(campaign.changeStatus(CampaignStatus.FINISHED));
    assertFalse(campaign.changeStatus(CampaignStatus.ACTIVE), "finished is final");
    assertEquals(CampaignStatus.FINISHED, campaign.status());
  }
}
