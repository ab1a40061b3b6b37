package net.adgrid.accounts.entity;

/** What an account is for; it decides which pages and resources its users reach. */
public enum Role {
  ADMIN,
  ADVERTISER,
  PUBLISHER
}
