package net.adgrid.campaigns.entity;

import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.adgrid.platform.Problem.FieldError;

/**
 * Whom and when a campaign shows to, besides the zones it is linked to. Every part is a list of
 * what is allowed; an empty (or absent) part allows everything. Days and hours are read in the
 * advertiser account's time zone. A referrer domain matches itself and its subdomains; a keyword
 * matches when the publisher's page sends it; a language matches its own subtags ({@code en}
 * matches {@code en-GB}).
 */
public record Targeting(
    Set<DayOfWeek> days,
    Set<Integer> hours,
    Set<Device> devices,
    Set<Browser> browsers,
    List<String> languages,
    List<String> referrerDomains,
    List<String> keywords) {

  public static final Targeting ANY =
      new Targeting(Set.of(), Set.of(), Set.of(), Set.of(), List.of(), List.of(), List.of());

  static final int MAX_ITEMS = 50;
  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[a-z0-9]{2,8})?");
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern KEYWORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} _.+-]{0,39}");

  /** What a decision knows about the visitor and the page, to hold against the targeting. */
  public record Context(
      DayOfWeek day,
      int hour,
      Device device,
      Browser browser,
      String language,
      String referrerDomain,
      Set<String> keywords) {}

  /** The same targeting with null parts as empty and text in the stored form (trimmed, lower). */
  public Targeting normalized() {
    Set<Integer> sortedHours = new TreeSet<>();
    if (hours != null) {
      hours.stream().filter(java.util.Objects::nonNull).forEach(sortedHours::add);
    }
    return new Targeting(
        enumSet(days, DayOfWeek.class),
        sortedHours,
        enumSet(devices, Device.class),
        enumSet(browsers, Browser.class),
        lowered(languages),
        lowered(referrerDomains),
        lowered(keywords));
  }

  private static <E extends Enum<E>> Set<E> enumSet(Set<E> values, Class<E> type) {
    EnumSet<E> set = EnumSet.noneOf(type);
    if (values != null) {
      values.stream().filter(java.util.Objects::nonNull).forEach(set::add);
    }
    return set;
  }

  private static List<String> lowered(List<String> values) {
    if (values == null) {
      return List.of();
    }
    Set<String> distinct = new LinkedHashSet<>();
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        distinct.add(value.trim().toLowerCase(Locale.ROOT));
      }
    }
    return List.copyOf(distinct);
  }

  /** Every problem, each named {@code targeting.<part>}; assumes {@link #normalized()} input. */
  public List<FieldError> problems() {
    List<FieldError> errors = new ArrayList<>();
    if (hours != null && hours.stream().anyMatch(h -> h == null || h < 0 || h > 23)) {
      errors.add(new FieldError("targeting.hours", "hours are 0 to 23"));
    }
    for (var part :
        List.of(
            new Part("days", days),
            new Part("devices", devices),
            new Part("browsers", browsers),
            new Part("languages", languages),
            new Part("referrerDomains", referrerDomains),
            new Part("keywords", keywords))) {
      if (part.values() != null && part.values().stream().anyMatch(java.util.Objects::isNull)) {
        errors.add(new FieldError("targeting." + part.name(), "has an empty entry"));
      }
    }
    Targeting n = normalized();
    check(errors, "languages", n.languages, LANGUAGE, "a language code such as en or pt-br");
    check(errors, "referrerDomains", n.referrerDomains, DOMAIN, "a domain such as example.com");
    check(errors, "keywords", n.keywords, KEYWORD, "letters, digits, space, _ . + - (at most 40)");
    return errors;
  }

  private record Part(String name, Collection<?> values) {}

  private static void check(
      List<FieldError> errors, String part, List<String> values, Pattern pattern, String what) {
    if (values.size() > MAX_ITEMS) {
      errors.add(new FieldError("targeting." + part, "at most " + MAX_ITEMS + " entries"));
      return;
    }
    values.stream()
        .filter(v -> !pattern.matcher(v).matches())
        .findFirst()
        .ifPresent(
            v -> errors.add(new FieldError("targeting." + part, "“" + v + "” is not " + what)));
  }

  /** Whether a visitor in this context may see the campaign. */
  public boolean matches(Context context) {
    return allows(days, context.day())
        && allows(hours, context.hour())
        && allows(devices, context.device())
        && allows(browsers, context.browser())
        && (languages.isEmpty() || languageMatches(context.language()))
        && (referrerDomains.isEmpty() || referrerMatches(context.referrerDomain()))
        && (keywords.isEmpty()
            || context.keywords() != null
                && keywords.stream().anyMatch(context.keywords()::contains));
  }

  private static <T> boolean allows(Set<T> allowed, T value) {
    return allowed.isEmpty() || value != null && allowed.contains(value);
  }

  private boolean languageMatches(String language) {
    if (language == null) {
      return false;
    }
    String asked = language.toLowerCase(Locale.ROOT);
    return languages.stream().anyMatch(l -> asked.equals(l) || asked.startsWith(l + "-"));
  }

  private boolean referrerMatches(String domain) {
    if (domain == null) {
      return false;
    }
    String host = domain.toLowerCase(Locale.ROOT);
    return referrerDomains.stream().anyMatch(d -> host.equals(d) || host.endsWith("." + d));
  }

  /** True when nothing is restricted (not named like a getter: JSON-B would print it). */
  public boolean restrictsNothing() {
    return normalized().equals(ANY);
  }

  // The stored form: one comma-separated column per part, NULL for "everything".

  static String column(Collection<?> values) {
    return values == null || values.isEmpty()
        ? null
        : values.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  static <T> List<T> parsed(String column, Function<String, T> parser) {
    if (column == null || column.isEmpty()) {
      return List.of();
    }
    List<T> values = new ArrayList<>();
    for (String part : column.split(",")) {
      values.add(parser.apply(part));
    }
    return values;
  }

  static <E extends Enum<E>> Set<E> enums(String column, Class<E> type) {
    EnumSet<E> set = EnumSet.noneOf(type);
    set.addAll(parsed(column, value -> Enum.valueOf(type, value)));
    return set;
  }

  /**
   * Hours as people write them: {@code "8-12, 14, 18-22"} (inclusive ranges); null if the text is
   * not such a list.
   */
  public static Set<Integer> parseHours(String text) {
    Set<Integer> hours = new TreeSet<>();
    if (text == null || text.isBlank()) {
      return hours;
    }
    for (String part : text.split(",")) {
      String[] range = part.trim().split("\\s*-\\s*", -1);
      try {
        int from = Integer.parseInt(range[0].trim());
        int to = range.length == 2 ? Integer.parseInt(range[1].trim()) : from;
        if (range.length > 2 || from < 0 || to > 23 || from > to) {
          return null;
        }
        for (int h = from; h <= to; h++) {
          hours.add(h);
        }
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return hours;
  }

  /** Hours as ranges for people: {@code [8,9,10,14]} is {@code "8-10, 14"}. */
  public static String hoursText(Set<Integer> hours) {
    List<String> ranges = new ArrayList<>();
    Integer start = null;
    Integer previous = null;
    for (int h : new TreeSet<>(hours)) {
      if (start == null) {
        start = h;
      } else if (h != previous + 1) {
        ranges.add(start.equals(previous) ? "" + start : start + "-" + previous);
        start = h;
      }
      previous = h;
    }
    if (start != null) {
      ranges.add(start.equals(previous) ? "" + start : start + "-" + previous);
    }
    return String.join(", ", ranges);
  }
}
