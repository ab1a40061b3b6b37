package net.adgrid.platform;

/**
 * Optimistic locking over HTTP: a resource's {@code ETag} names the version of the row it was read
 * from, and a change must name, in {@code If-Match}, the version it was based on. A change without
 * it is refused (428), one based on an older version too (412): nobody overwrites someone else's
 * change without having seen it.
 */
public final class Versions {

  private Versions() {}

  /** The ETag of an editable row, as a resource sends it. */
  public static jakarta.ws.rs.core.EntityTag entityTag(Tracked row) {
    return new jakarta.ws.rs.core.EntityTag(tag(row.id(), row.version()));
  }

  /** Refuses a change to this row unless If-Match names its current version. */
  public static void requireCurrent(Tracked row, String ifMatch) {
    requireCurrent(tag(row.id(), row.version()), ifMatch);
  }

  /** The value of the ETag of a row with this id and version. */
  public static String tag(long id, long version) {
    return id + "-" + version;
  }

  public static void requireCurrent(String current, String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank()) {
      throw new ProblemException(
          428,
          "Precondition Required",
          "Send the ETag you read in If-Match, so that no one else's change is overwritten.");
    }
    String quoted = "\"" + current + "\"";
    String sent = ifMatch.trim();
    if (!sent.equals(quoted) && !sent.equals("W/" + quoted)) {
      throw new ProblemException(
          412,
          "Precondition Failed",
          "It changed since that ETag was read; read it again and repeat the change.");
    }
  }
}
