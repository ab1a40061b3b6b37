package net.adgrid.serving.control;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import net.adgrid.campaigns.entity.CampaignType;
import net.adgrid.campaigns.entity.CreativeKind;
import net.adgrid.campaigns.entity.Targeting;

/**
 * Which creative a zone shows: among the candidates that are eligible now (in their campaign's
 * schedule, matching its targeting in the advertiser's time zone, allowed by the pacing check), the
 * highest tier wins (override, then contract priority 10 down to 1, then remnant); within the tier
 * a campaign is drawn by weight, then one of its creatives evenly. Given the same random source it
 * chooses the same: a decision is repeatable in a test.
 */
public final class Selection {

  /** A creative of an active campaign, linked to the zone and fitting it. */
  public record Candidate(
      long campaignId,
      long creativeId,
      CampaignType type,
      Integer priority,
      int weight,
      Instant startsAt,
      Instant endsAt,
      ZoneId advertiserZone,
      Targeting targeting,
      CreativeKind kind) {

    /** Lower is served first: override 0, contract 10..1 as 1..10, remnant 11. */
    int tier() {
      return switch (type) {
        case OVERRIDE -> 0;
        case CONTRACT -> 11 - priority;
        case REMNANT -> 11;
      };
    }

    boolean runsAt(Instant now) {
      return !now.isBefore(startsAt) && (endsAt == null || now.isBefore(endsAt));
    }
  }

  /** What is known about the visitor and page, except the time (read in each advertiser's zone). */
  public record Visit(
      net.adgrid.campaigns.entity.Device device,
      net.adgrid.campaigns.entity.Browser browser,
      String language,
      String referrerDomain,
      java.util.Set<String> keywords) {

    Targeting.Context at(Instant now, ZoneId zone) {
      ZonedDateTime local = now.atZone(zone);
      return new Targeting.Context(
          local.getDayOfWeek(),
          local.getHour(),
          device,
          browser,
          language,
          referrerDomain,
          keywords);
    }
  }

  private Selection() {}

  /**
   * The chosen candidate, or empty when none is eligible. {@code mayServe} is asked only for
   * candidates that are otherwise eligible, best tier first, and may refuse (pacing, caps).
   */
  public static Optional<Candidate> choose(
      List<Candidate> candidates,
      Visit visit,
      Instant now,
      Predicate<Candidate> mayServe,
      RandomGenerator random) {
    List<Candidate> eligible = new ArrayList<>();
    for (Candidate c : candidates) {
      if (c.runsAt(now) && c.targeting().matches(visit.at(now, c.advertiserZone()))) {
        eligible.add(c);
      }
    }
    eligible.sort(java.util.Comparator.comparingInt(Candidate::tier));
    int i = 0;
    while (i < eligible.size()) {
      int tier = eligible.get(i).tier();
      List<Candidate> sameTier = new ArrayList<>();
      for (; i < eligible.size() && eligible.get(i).tier() == tier; i++) {
        sameTier.add(eligible.get(i));
      }
      Optional<Candidate> chosen = drawWithin(sameTier, mayServe, random);
      if (chosen.isPresent()) {
        return chosen;
      }
    }
    return Optional.empty();
  }

  /** By campaign weight, then evenly among the campaign's creatives; refused campaigns drop out. */
  private static Optional<Candidate> drawWithin(
      List<Candidate> tier, Predicate<Candidate> mayServe, RandomGenerator random) {
    List<Candidate> left = new ArrayList<>(tier);
    while (!left.isEmpty()) {
      // One entry per campaign, in first-seen order, with its weight.
      List<Long> campaigns = new ArrayList<>();
      List<Integer> weights = new ArrayList<>();
      for (Candidate c : left) {
        if (!campaigns.contains(c.campaignId())) {
          campaigns.add(c.campaignId());
          weights.add(c.weight());
        }
      }
      int total = weights.stream().mapToInt(Integer::intValue).sum();
      int ticket = random.nextInt(total);
      int picked = 0;
      while (ticket >= weights.get(picked)) {
        ticket -= weights.get(picked);
        picked++;
      }
      long campaign = campaigns.get(picked);
      List<Candidate> creatives = left.stream().filter(c -> c.campaignId() == campaign).toList();
      Candidate candidate = creatives.get(random.nextInt(creatives.size()));
      if (mayServe.test(candidate)) {
        return Optional.of(candidate);
      }
      left.removeIf(c -> c.campaignId() == campaign);
    }
    return Optional.empty();
  }
}
