/**
 * Publishers' inventory: their sites, and the zones on those sites where ads are shown, each with a
 * size and the kinds of creative it accepts.
 */
package net.adgrid.inventory;
