package net.adgrid.campaigns.entity;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** What a creative is made of: an image, a piece of HTML (shown sandboxed) or text. */
public enum CreativeKind {
  IMAGE,
  HTML,
  TEXT;

  /** A set of kinds as stored in one column: {@code IMAGE,TEXT}. */
  public static String join(Set<CreativeKind> kinds) {
    return kinds.stream().sorted().map(Enum::name).collect(Collectors.joining(","));
  }

  public static Set<CreativeKind> split(String stored) {
    EnumSet<CreativeKind> kinds = EnumSet.noneOf(CreativeKind.class);
    if (stored != null && !stored.isBlank()) {
      Arrays.stream(stored.split(","))
          .map(String::trim)
          .map(CreativeKind::valueOf)
          .forEach(kinds::add);
    }
    return kinds;
  }
}
