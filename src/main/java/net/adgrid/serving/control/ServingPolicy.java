package net.adgrid.serving.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import net.adgrid.campaigns.entity.Campaign;
import net.adgrid.campaigns.entity.Pacing;
import net.adgrid.serving.control.Selection.Candidate;

/**
 * What a decision asks of a campaign beyond its schedule and targeting: budget left (this node's
 * lease, or a pool not found empty), the visitor's frequency cap (counted in the grid, so every
 * node sees it, without cookies), and even pacing (this node's share of what is left, spread over
 * the time that is left: the campaign's end, or the advertiser's day when a daily cap binds).
 */
@ApplicationScoped
public class ServingPolicy {

  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(ServingPolicy.class.getName());

  @Inject DeliveryIndex index;
  @Inject Budgets budgets;
  @Inject GridCounters counters;

  private final Map<Long, EvenPacing> pacing = new ConcurrentHashMap<>();

  public boolean mayServe(Candidate candidate, long visitor, Instant now) {
    Campaign campaign = index.campaign(candidate.campaignId()).orElse(null);
    if (campaign == null || !budgets.mayServe(candidate.campaignId())) {
      return false;
    }
    if (campaign.frequencyCap() != null) {
      try {
        if (counters.frequencyCount(
                frequencyKey(campaign.id(), visitor),
                now.getEpochSecond(),
                campaign.frequencyHours() * 3600L)
            >= campaign.frequencyCap()) {
          return false;
        }
      } catch (RuntimeException e) {
        // Without the count the cap cannot be kept: this campaign waits, the others serve.
        LOG.log(Level.FINE, "frequency count unavailable", e);
        return false;
      }
    }
    if (campaign.pacing() == Pacing.EVEN) {
      long left = budgets.left(campaign.id(), 'I');
      Instant until = paceUntil(campaign, candidate.advertiserZone(), now);
      if (left != Long.MAX_VALUE && until != null) {
        return pacing
            .computeIfAbsent(campaign.id(), id -> new EvenPacing())
            .take(left, until, now, budgets.nodes());
      }
    }
    return true;
  }

  /** The decision chose the candidate for this visitor: one more towards its frequency cap. */
  public void served(Candidate candidate, long visitor, Instant now) {
    Campaign campaign = index.campaign(candidate.campaignId()).orElse(null);
    if (campaign != null && campaign.frequencyCap() != null) {
      try {
        counters.countFrequency(
            frequencyKey(campaign.id(), visitor),
            now.getEpochSecond(),
            campaign.frequencyHours() * 3600L);
      } catch (RuntimeException e) {
        // The decision stands; this one showing is not counted towards the cap.
        LOG.log(Level.FINE, "Could not count a showing towards a frequency cap", e);
      }
    }
  }

  /** A daily cap spreads the day's impressions over the rest of the advertiser's day. */
  static Instant paceUntil(Campaign campaign, ZoneId zone, Instant now) {
    if (campaign.dailyImpressionCap() != null) {
      return now.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
    }
    return campaign.endsAt();
  }

  private static String frequencyKey(long campaignId, long visitor) {
    return campaignId + ":" + visitor;
  }
}
