package net.adgrid.campaigns.entity;

/** An admin's decision on a creative: nothing serves before it is approved. */
public enum Review {
  PENDING,
  APPROVED,
  REJECTED
}
