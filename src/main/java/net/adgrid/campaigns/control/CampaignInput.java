package net.adgrid.campaigns.control;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.adgrid.campaigns.entity.Campaign;
import net.adgrid.campaigns.entity.CampaignStatus;
import net.adgrid.campaigns.entity.CampaignType;
import net.adgrid.campaigns.entity.Pacing;
import net.adgrid.campaigns.entity.Pricing;
import net.adgrid.campaigns.entity.Targeting;
import net.adgrid.platform.Input;
import net.adgrid.platform.Problem.FieldError;

/**
 * A campaign as a client sends it (to create one, or to replace one's editable fields), and the
 * rules it must meet. Money has at most 4 decimal places and is never a floating-point number.
 */
public record CampaignInput(
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
    Integer weight,
    Targeting targeting)
    implements Input {

  static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
  static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");
  static final BigDecimal MAX_RATE = new BigDecimal("99999999.9999");
  static final BigDecimal MAX_BUDGET = new BigDecimal("9999999999.9999");

  @Override
  public List<FieldError> problems() {
    List<FieldError> errors = new ArrayList<>();
    if (name == null || name.isBlank()) {
      errors.add(new FieldError("name", "is required"));
    } else if (name.length() > 120) {
      errors.add(new FieldError("name", "has at most 120 characters"));
    }
    if (type == null) {
      errors.add(new FieldError("type", "is required: OVERRIDE, CONTRACT or REMNANT"));
    } else if (type == CampaignType.CONTRACT
        && (priority == null || priority < 1 || priority > 10)) {
      errors.add(new FieldError("priority", "a contract campaign needs a priority from 1 to 10"));
    } else if (type != CampaignType.CONTRACT && priority != null) {
      errors.add(new FieldError("priority", "only contract campaigns have a priority"));
    }
    if (startsAt == null) {
      errors.add(new FieldError("startsAt", "is required"));
    } else if (!inRange(startsAt)) {
      errors.add(new FieldError("startsAt", "must be between 2000 and 9999"));
    } else if (endsAt != null && !inRange(endsAt)) {
      errors.add(new FieldError("endsAt", "must be between 2000 and 9999"));
    } else if (endsAt != null && !stored(endsAt).isAfter(stored(startsAt))) {
      errors.add(new FieldError("endsAt", "must be after startsAt"));
    }
    positive(errors, "impressionCap", impressionCap);
    positive(errors, "clickCap", clickCap);
    positive(errors, "dailyImpressionCap", dailyImpressionCap);
    positive(errors, "dailyClickCap", dailyClickCap);
    if (pricing == null) {
      errors.add(new FieldError("pricing", "is required: CPM or CPC"));
    }
    money(errors, "rate", rate, MAX_RATE);
    money(errors, "budget", budget, MAX_BUDGET);
    if ((frequencyCap == null) != (frequencyHours == null)) {
      errors.add(
          new FieldError(
              "frequencyCap", "frequencyCap and frequencyHours go together (n per hours)"));
    } else if (frequencyCap != null) {
      if (frequencyCap < 1) {
        errors.add(new FieldError("frequencyCap", "must be at least 1"));
      }
      if (frequencyHours < 1 || frequencyHours > 24 * 366) {
        errors.add(new FieldError("frequencyHours", "must be from 1 to 8784 (a year)"));
      }
    }
    if (weight != null && (weight < 1 || weight > 1000)) {
      errors.add(new FieldError("weight", "must be from 1 to 1000"));
    }
    if (targeting != null) {
      errors.addAll(targeting.problems());
    }
    return errors;
  }

  private static boolean inRange(Instant instant) {
    return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
  }

  /** PostgreSQL keeps microseconds: compare what will be stored. */
  static Instant stored(Instant instant) {
    return instant == null ? null : instant.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }

  private static void positive(List<FieldError> errors, String field, Long value) {
    if (value != null && value < 1) {
      errors.add(new FieldError(field, "must be at least 1 when given"));
    }
  }

  private static void money(
      List<FieldError> errors, String field, BigDecimal value, BigDecimal max) {
    if (value == null) {
      errors.add(new FieldError(field, "is required"));
    } else if (value.signum() < 0) {
      errors.add(new FieldError(field, "must not be negative"));
    } else if (value.stripTrailingZeros().scale() > 4) {
      errors.add(new FieldError(field, "has at most 4 decimal places"));
    } else if (value.compareTo(max) > 0) {
      errors.add(new FieldError(field, "must be at most " + max.toPlainString()));
    }
  }

  /** A new campaign for an account, from input that has no problems. */
  public Campaign newCampaign(long accountId) {
    Campaign campaign =
        new Campaign(
            accountId, name.trim(), type, priority, stored(startsAt), pricing, rate, budget);
    applyTo(campaign);
    return campaign;
  }

  /** Writes the editable fields onto a campaign; false if the status change is not allowed. */
  public boolean applyTo(Campaign campaign) {
    campaign.describe(name.trim(), type, priority, weight == null ? 1 : weight);
    campaign.schedule(stored(startsAt), stored(endsAt));
    campaign.cap(impressionCap, clickCap, dailyImpressionCap, dailyClickCap);
    campaign.price(pricing, rate, budget);
    campaign.setPacing(pacing == null ? Pacing.ASAP : pacing);
    campaign.limitFrequency(frequencyCap, frequencyHours);
    campaign.target(targeting);
    return status == null || campaign.changeStatus(status);
  }
}
