/**
 * What every feature stands on: the JAX-RS application, the node's identity (its name and the build
 * it runs), the headers every response carries, problem+json errors, and the schema migrations that
 * run once for the whole cluster before a node reports itself ready.
 */
package net.adgrid.platform;
