package net.adgrid.campaigns.entity;

/** How fast a campaign spends: as fast as traffic allows, or evenly over its remaining time. */
public enum Pacing {
  ASAP,
  EVEN
}
