/**
 * Advertisers' campaigns: what they buy (type and priority, schedule, caps, budget, pricing,
 * pacing, frequency cap) and the API that manages them, always within the caller's account.
 */
package net.adgrid.campaigns;
