/**
 * The cluster as the application sees it: which node is serving, which grid members it sees, and
 * the home page that shows them with a replicated per-visitor session counter and a cluster-wide
 * page-view count held in the coordinated JPA second-level cache.
 */
package net.adgrid.cluster;
