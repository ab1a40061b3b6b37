/**
 * Who uses adgrid: accounts (admin, advertiser, publisher), the users who sign in to them with a
 * password, and the API keys integrators send as bearer tokens. Signing in, and knowing who the
 * caller of a request is, live here; every other feature asks {@link
 * net.adgrid.accounts.control.Caller} which account it may act for.
 */
package net.adgrid.accounts;
