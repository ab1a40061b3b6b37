/**
 * The numbers people watch: live figures of the day per campaign, creative, zone, site, account and
 * node, merged cluster-wide from what each node's event writer committed, served from memory; the
 * hourly rollups built from the events (one node per hour, sealed then final), the reports and the
 * invalid-traffic review that read them, and the retention of raw events.
 */
package net.adgrid.stats;
