package net.adgrid.campaigns.entity;

/**
 * Where a campaign stands in selection: overrides first, then contracts by priority (10 is the
 * highest), then remnant.
 */
public enum CampaignType {
  OVERRIDE,
  CONTRACT,
  REMNANT
}
