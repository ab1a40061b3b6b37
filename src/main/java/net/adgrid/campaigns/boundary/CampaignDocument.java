package net.adgrid.campaigns.boundary;

import java.math.BigDecimal;
import java.time.Instant;
import net.adgrid.campaigns.entity.Campaign;
import net.adgrid.campaigns.entity.CampaignStatus;
import net.adgrid.campaigns.entity.CampaignType;
import net.adgrid.campaigns.entity.Pacing;
import net.adgrid.campaigns.entity.Pricing;
import net.adgrid.campaigns.entity.Targeting;

/** A campaign as the API returns it. */
public record CampaignDocument(
    long id,
    long accountId,
    String name,
    CampaignType type,
    Integer priority,
    CampaignStatus status,
    Instant startsAt,
    Instant endsAt,
    Long impressionCap,
    Long clickCap,
    Long dailyImpressionCap,
    Long dailyClickCap,
    Pricing pricing,
    BigDecimal rate,
    BigDecimal budget,
    Pacing pacing,
    Integer frequencyCap,
    Integer frequencyHours,
    int weight,
    Targeting targeting,
    Instant createdAt,
    Instant updatedAt,
    long version) {

  static CampaignDocument of(Campaign c) {
    return new CampaignDocument(
        c.id(),
        c.accountId(),
        c.name(),
        c.type(),
        c.priority(),
        c.status(),
        c.startsAt(),
        c.endsAt(),
        c.impressionCap(),
        c.clickCap(),
        c.dailyImpressionCap(),
        c.dailyClickCap(),
        c.pricing(),
        c.rate(),
        c.budget(),
        c.pacing(),
        c.frequencyCap(),
        c.frequencyHours(),
        c.weight(),
        c.targeting(),
        c.createdAt(),
        c.updatedAt(),
        c.version());
  }
}
