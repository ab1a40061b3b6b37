package net.adgrid.campaigns.entity;

import java.util.Set;

/** Where a campaign is in its life; only some changes make sense. */
public enum CampaignStatus {
  DRAFT,
  ACTIVE,
  PAUSED,
  FINISHED;

  /** The statuses a campaign in this status may move to. */
  public Set<CampaignStatus> next() {
    return switch (this) {
      case DRAFT -> Set.of(ACTIVE, FINISHED);
      case ACTIVE -> Set.of(PAUSED, FINISHED);
      case PAUSED -> Set.of(ACTIVE, FINISHED);
      case FINISHED -> Set.of();
    };
  }

  public boolean mayBecome(CampaignStatus other) {
    return other == this || next().contains(other);
  }
}
