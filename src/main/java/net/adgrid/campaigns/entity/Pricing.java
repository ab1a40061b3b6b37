package net.adgrid.campaigns.entity;

/** What the advertiser pays for: a thousand impressions (CPM) or a click (CPC). */
public enum Pricing {
  CPM,
  CPC
}
