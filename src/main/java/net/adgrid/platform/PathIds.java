package net.adgrid.platform;

/**
 * Path parameters that are ids, for {@code @Path}: ASCII digits only, at most 18 of them. A
 * fullwidth digit (which {@code Long.parseLong} would read) or a number too large for an id matches
 * no resource and gets the API's 404.
 */
public final class PathIds {

  public static final String ID = "{id: [0-9]{1,18}}";
  public static final String ZONE_ID = "{zoneId: [0-9]{1,18}}";

  private PathIds() {}
}
