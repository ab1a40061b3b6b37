package net.adgrid.campaigns.entity;

/** The browser family a visitor uses, as targeting names it; OTHER is every browser not listed. */
public enum Browser {
  CHROME,
  FIREFOX,
  SAFARI,
  EDGE,
  OPERA,
  OTHER
}
