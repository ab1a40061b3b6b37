package net.adgrid.campaigns.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import net.adgrid.accounts.control.Caller;
import net.adgrid.campaigns.entity.Campaign;
import net.adgrid.campaigns.entity.CampaignType;
import net.adgrid.campaigns.entity.Creative;
import net.adgrid.campaigns.entity.CreativeKind;
import net.adgrid.campaigns.entity.Pacing;
import net.adgrid.campaigns.entity.Pricing;
import net.adgrid.platform.Csv;
import net.adgrid.platform.Input;
import net.adgrid.platform.Problem.FieldError;

/**
 * Many campaigns or creatives at once, from a CSV file with a header row. All or nothing: when any
 * row has a problem, nothing is stored and the report names every problem by row (as the
 * spreadsheet numbers it: the header is row 1) and column, so the file can be fixed and sent again
 * without making duplicates. Campaigns are new drafts; creatives (text and HTML: images are
 * uploaded one by one) go to a campaign of the account, named by id or by its exact name, and wait
 * for review.
 */
@ApplicationScoped
public class CsvImport {

  public static final int MAX_BYTES = 1024 * 1024;
  public static final int MAX_ROWS = 5000;

  /** A report lists at most this many problems: a wholly wrong file needs no longer one. */
  public static final int MAX_ERRORS = 200;

  static final List<String> CAMPAIGN_COLUMNS =
      List.of(
          "name",
          "type",
          "priority",
          "startsAt",
          "endsAt",
          "pricing",
          "rate",
          "budget",
          "impressionCap",
          "clickCap",
          "dailyImpressionCap",
          "dailyClickCap",
          "pacing",
          "frequencyCap",
          "frequencyHours",
          "weight");
  static final Set<String> CAMPAIGN_REQUIRED =
      Set.of("name", "type", "startsAt", "pricing", "rate", "budget");
  static final List<String> CREATIVE_COLUMNS =
      List.of(
          "campaign", "name", "kind", "width", "height", "landingUrl", "headline", "body", "html");
  static final Set<String> CREATIVE_REQUIRED =
      Set.of("campaign", "name", "kind", "width", "height", "landingUrl");
  static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd[ ]['T']HH:mm");

  @PersistenceContext EntityManager em;

  /** Stands for a name that several campaigns share. */
  private static final Campaign AMBIGUOUS =
      new Campaign(
          0L,
          "",
          CampaignType.REMNANT,
          null,
          Instant.EPOCH,
          Pricing.CPM,
          BigDecimal.ZERO,
          BigDecimal.ZERO);

  /** One problem of the file: its row (the line it starts on; 1 is the header), column, what. */
  public record RowError(int row, String column, String message) {}

  public record Report(int imported, List<RowError> errors) {
    public boolean ok() {
      return errors.isEmpty();
    }
  }

  /** Imports campaigns for an advertiser; times without a zone are in the account's zone. */
  @Transactional
  public Report campaigns(Caller caller, ZoneId zone, String text) {
    List<RowError> errors = new ArrayList<>();
    List<Campaign> made =
        campaignInputs(text, zone, errors).stream()
            .map(input -> input.newCampaign(caller.accountId()))
            .toList();
    return store(errors, made);
  }

  /** The campaigns of a file, if every row is right; otherwise the problems in errors. */
  static List<CampaignInput> campaignInputs(String text, ZoneId zone, List<RowError> errors) {
    List<CampaignInput> inputs = new ArrayList<>();
    for (Row row : rows(text, CAMPAIGN_COLUMNS, CAMPAIGN_REQUIRED, errors)) {
      CampaignInput input =
          new CampaignInput(
              row.text("name"),
              row.value(
                  "type",
                  v -> CampaignType.valueOf(v.toUpperCase(Locale.ROOT)),
                  "OVERRIDE, CONTRACT or REMNANT"),
              row.value("priority", Integer::valueOf, "a whole number"),
              null,
              row.value("startsAt", v -> time(v, zone), "a time such as 2026-12-01 09:00"),
              row.value("endsAt", v -> time(v, zone), "a time such as 2026-12-31 23:59"),
              row.value("impressionCap", Long::valueOf, "a whole number"),
              row.value("clickCap", Long::valueOf, "a whole number"),
              row.value("dailyImpressionCap", Long::valueOf, "a whole number"),
              row.value("dailyClickCap", Long::valueOf, "a whole number"),
              row.value("pricing", v -> Pricing.valueOf(v.toUpperCase(Locale.ROOT)), "CPM or CPC"),
              row.value("rate", BigDecimal::new, "a number such as 2.50"),
              row.value("budget", BigDecimal::new, "a number such as 1000"),
              row.value("pacing", v -> Pacing.valueOf(v.toUpperCase(Locale.ROOT)), "ASAP or EVEN"),
              row.value("frequencyCap", Integer::valueOf, "a whole number"),
              row.value("frequencyHours", Integer::valueOf, "a whole number"),
              row.value("weight", Integer::valueOf, "a whole number"),
              null);
      if (row.check(input)) {
        inputs.add(input);
      }
      errors.addAll(row.errors);
    }
    return errors.isEmpty() ? inputs : List.of();
  }

  /** Imports text and HTML creatives into the caller's campaigns. */
  @Transactional
  public Report creatives(Caller caller, String text) {
    List<RowError> errors = new ArrayList<>();
    List<Row> rows = rows(text, CREATIVE_COLUMNS, CREATIVE_REQUIRED, errors);
    Map<String, Campaign> campaigns = new HashMap<>();
    for (Campaign c :
        em.createQuery("SELECT c FROM Campaign c WHERE c.accountId = :account", Campaign.class)
            .setParameter("account", caller.accountId())
            .getResultList()) {
      campaigns.put(String.valueOf(c.id()), c);
      // A name two campaigns share names neither: the row must use the id.
      campaigns.merge(c.name(), c, (a, b) -> AMBIGUOUS);
    }
    List<Creative> made = new ArrayList<>();
    for (Row row : rows) {
      Campaign campaign = campaigns.get(row.text("campaign"));
      if (campaign == AMBIGUOUS) {
        row.error("campaign", "several of your campaigns have this name; use the campaign's id");
        campaign = null;
      } else if (row.text("campaign") != null && campaign == null) {
        row.error("campaign", "no campaign of yours has this id or name");
      }
      CreativeKind kind =
          row.value("kind", v -> CreativeKind.valueOf(v.toUpperCase(Locale.ROOT)), "HTML or TEXT");
      if (kind == CreativeKind.IMAGE) {
        row.error("kind", "image creatives are uploaded on the campaign's page, one by one");
      }
      CreativeInput input =
          new CreativeInput(
              row.text("name"),
              kind,
              row.value("width", Integer::valueOf, "a whole number of pixels"),
              row.value("height", Integer::valueOf, "a whole number of pixels"),
              row.text("landingUrl"),
              row.text("headline"),
              row.text("body"),
              row.text("html"),
              null,
              null);
      if (row.check(input) && campaign != null && kind != CreativeKind.IMAGE) {
        Creative creative = new Creative(campaign);
        input.applyTo(creative);
        made.add(creative);
      }
      errors.addAll(row.errors);
    }
    return store(errors, made);
  }

  private Report store(List<RowError> errors, List<?> made) {
    if (errors.size() > MAX_ERRORS) {
      List<RowError> first = new ArrayList<>(errors.subList(0, MAX_ERRORS));
      first.add(
          new RowError(
              errors.get(MAX_ERRORS).row(),
              null,
              "… and " + (errors.size() - MAX_ERRORS) + " more problems not listed"));
      return new Report(0, first);
    }
    if (!errors.isEmpty()) {
      return new Report(0, errors);
    }
    made.forEach(em::persist);
    em.flush();
    return new Report(made.size(), List.of());
  }

  private static Instant time(String value, ZoneId zone) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      return LocalDateTime.parse(value, LOCAL).atZone(zone).toInstant();
    }
  }

  /** The data rows, each knowing its values by column; file-level problems go to errors. */
  static List<Row> rows(
      String text, List<String> known, Set<String> required, List<RowError> errors) {
    List<Csv.Record> records;
    try {
      records = Csv.read(text);
    } catch (Csv.Malformed e) {
      errors.add(new RowError(e.line(), null, "not CSV: " + e.getMessage()));
      return List.of();
    }
    if (records.isEmpty()) {
      errors.add(new RowError(1, null, "the file is empty; the first row names the columns"));
      return List.of();
    }
    if (records.size() - 1 > MAX_ROWS) {
      errors.add(new RowError(1, null, "at most " + MAX_ROWS + " rows at once"));
      return List.of();
    }
    List<String> header = records.get(0).fields().stream().map(String::trim).toList();
    if (header.size() > known.size()) {
      errors.add(
          new RowError(
              1,
              null,
              "has " + header.size() + " columns; the columns are " + String.join(", ", known)));
      return List.of();
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String column : header) {
      if (!known.contains(column)) {
        errors.add(
            new RowError(1, column, "unknown column; the columns are " + String.join(", ", known)));
      } else if (!seen.add(column)) {
        errors.add(new RowError(1, column, "appears twice"));
      }
    }
    for (String column : required) {
      if (!header.contains(column)) {
        errors.add(new RowError(1, column, "this column is required"));
      }
    }
    if (!errors.isEmpty()) {
      return List.of();
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i < records.size(); i++) {
      List<String> record = records.get(i).fields();
      Row row = new Row(records.get(i).line(), new HashMap<>());
      if (record.size() != header.size()) {
        row.error(null, "has " + record.size() + " fields, the header " + header.size());
      }
      for (int c = 0; c < Math.min(record.size(), header.size()); c++) {
        row.values.put(header.get(c), record.get(c));
      }
      rows.add(row);
    }
    return rows;
  }

  static final class Row {
    final int number;
    final Map<String, String> values;
    final List<RowError> errors = new ArrayList<>();

    Row(int number, Map<String, String> values) {
      this.number = number;
      this.values = values;
    }

    /** The trimmed text of a column; null when empty or absent. */
    String text(String column) {
      String value = values.get(column);
      return value == null || value.isBlank() ? null : value.trim();
    }

    <T> T value(String column, Function<String, T> parser, String what) {
      String text = text(column);
      if (text == null) {
        return null;
      }
      try {
        return parser.apply(text);
      } catch (RuntimeException e) {
        error(column, "“" + text + "” is not " + what);
        return null;
      }
    }

    void error(String column, String message) {
      errors.add(new RowError(number, column, message));
    }

    /** The input's own rules; true when this row has no problem at all. */
    boolean check(Input input) {
      List<FieldError> problems = new ArrayList<>(Input.controlCharacters(input));
      problems.addAll(input.problems());
      Set<String> named =
          errors.stream().map(RowError::column).collect(java.util.stream.Collectors.toSet());
      for (FieldError problem : problems) {
        // A value that could not be read is reported once, as unreadable, not also as missing.
        if (!named.contains(problem.field())) {
          error(problem.field(), problem.message());
        }
      }
      return errors.isEmpty();
    }
  }
}
