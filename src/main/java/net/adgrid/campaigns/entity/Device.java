package net.adgrid.campaigns.entity;

/** The class of device a visitor uses, as targeting names it. */
public enum Device {
  DESKTOP,
  MOBILE,
  TABLET
}
