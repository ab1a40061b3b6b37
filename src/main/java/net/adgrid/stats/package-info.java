/**
 * The numbers people watch: live figures of the day per campaign, creative, zone, site, account and
 * node, merged cluster-wide from what each node's event writer committed, served from memory.
 */
package net.adgrid.stats;
