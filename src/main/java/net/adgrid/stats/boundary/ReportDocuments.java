package net.adgrid.stats.boundary;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.ArrayList;
import java.util.List;
import net.adgrid.accounts.entity.Role;
import net.adgrid.platform.Csv;
import net.adgrid.stats.control.Reports.By;
import net.adgrid.stats.control.Reports.Line;
import net.adgrid.stats.control.Reports.Report;

/**
 * A report as the API's JSON and as CSV (the API's {@code text/csv} and the pages' export): the
 * same columns, in the same order. A publisher's spend is what its zones earned (gross).
 */
final class ReportDocuments {

  private ReportDocuments() {}

  static String money(Role role) {
    return role == Role.PUBLISHER ? "earnings" : "spend";
  }

  static JsonObject json(Report report, Role role) {
    JsonArrayBuilder lines = Json.createArrayBuilder();
    for (Line line : report.lines()) {
      lines.add(line(line, report.ask().by(), role));
    }
    JsonObjectBuilder body =
        Json.createObjectBuilder()
            .add("by", report.ask().by().param())
            .add("from", report.ask().from().toString())
            .add("to", report.ask().to().toString())
            .add("timeZone", report.ask().zone().getId())
            .add("lines", lines)
            .add("total", line(report.total(), null, role));
    if (report.provisionalFrom() == null) {
      body.addNull("provisionalFrom");
    } else {
      body.add("provisionalFrom", report.provisionalFrom().toString());
    }
    return body.build();
  }

  private static JsonObjectBuilder line(Line line, By by, Role role) {
    JsonObjectBuilder json = Json.createObjectBuilder();
    if (by != null) {
      if (by.isTime()) {
        json.add(by.param(), line.key());
      } else {
        json.add(by.param() + "Id", Long.parseLong(line.key())).add("name", line.label());
      }
    }
    return json.add("impressions", line.impressions())
        .add("viewable", line.viewable())
        .add("clicks", line.clicks())
        .add("ctrPercent", line.ctr())
        .add("invalid", line.invalid())
        .add(money(role), line.spend())
        .add("uniques", line.uniques())
        .add("provisional", line.provisional());
  }

  static String csv(Report report, Role role) {
    By by = report.ask().by();
    StringBuilder out = new StringBuilder();
    List<String> header = new ArrayList<>();
    if (by.isTime()) {
      header.add(by.param() + " (" + report.ask().zone().getId() + ")");
    } else {
      header.add(by.param() + "_id");
      header.add(by.param());
    }
    header.addAll(
        List.of(
            "impressions",
            "viewable",
            "clicks",
            "ctr_percent",
            "invalid",
            money(role),
            "uniques",
            "provisional"));
    out.append(Csv.line(header));
    for (Line line : report.lines()) {
      out.append(Csv.line(row(line, by)));
    }
    List<String> total = row(report.total(), by);
    total.set(0, "total");
    if (!by.isTime()) {
      total.set(1, "");
    }
    out.append(Csv.line(total));
    return out.toString();
  }

  private static List<String> row(Line line, By by) {
    List<String> row = new ArrayList<>();
    row.add(line.key());
    if (!by.isTime()) {
      row.add(line.label());
    }
    row.add(Long.toString(line.impressions()));
    row.add(Long.toString(line.viewable()));
    row.add(Long.toString(line.clicks()));
    row.add(line.ctr().toPlainString());
    row.add(Long.toString(line.invalid()));
    row.add(line.spend().toPlainString());
    row.add(Long.toString(line.uniques()));
    row.add(Boolean.toString(line.provisional()));
    return row;
  }
}
