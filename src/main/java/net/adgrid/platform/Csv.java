package net.adgrid.platform;

import java.util.ArrayList;
import java.util.List;

/**
 * Comma-separated values as spreadsheets write them (RFC 4180): fields in double quotes may hold
 * commas, line breaks and doubled quotes; lines end in CRLF or LF; a byte order mark is ignored.
 */
public final class Csv {

  private Csv() {}

  /** Thrown for text that is not CSV, naming the line where reading stopped. */
  public static final class Malformed extends Exception {
    private final int line;

    Malformed(int line, String message) {
      super(message);
      this.line = line;
    }

    public int line() {
      return line;
    }
  }

  /**
   * One record as a line ending in CRLF. A field is quoted when it holds a comma, quote or line
   * break; a field that a spreadsheet would run as a formula (starting with =, +, -, @, tab or
   * carriage return, and not a number) gets a leading apostrophe, so a name cannot become one.
   */
  public static String line(List<String> fields) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      String field = fields.get(i) == null ? "" : fields.get(i);
      if (!field.isEmpty()
          && "=+-@\t\r".indexOf(field.charAt(0)) >= 0
          && !field.matches("[-+]?[0-9]+(\\.[0-9]+)?")) {
        field = "'" + field;
      }
      if (field.indexOf(',') >= 0
          || field.indexOf('"') >= 0
          || field.indexOf('\n') >= 0
          || field.indexOf('\r') >= 0) {
        field = '"' + field.replace("\"", "\"\"") + '"';
      }
      out.append(field);
    }
    return out.append("\r\n").toString();
  }

  /** A record and the line of the file it starts on (1 is the first). */
  public record Record(int line, List<String> fields) {}

  /** Every record, blank lines left out (but counted in the line numbers). */
  public static List<Record> read(String text) throws Malformed {
    List<Record> records = new ArrayList<>();
    int start = 1;
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean fieldStarted = false;
    int line = 1;
    int i = text.startsWith("\uFEFF") ? 1 : 0;
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
            if (i + 1 < text.length() && ",\r\n".indexOf(text.charAt(i + 1)) < 0) {
              throw new Malformed(line, "a quoted field goes on after its closing quote");
            }
          }
        } else {
          if (c == '\n') {
            line++;
          }
          field.append(c);
        }
      } else if (c == '"') {
        if (fieldStarted) {
          throw new Malformed(line, "a quote in the middle of an unquoted field");
        }
        quoted = true;
        fieldStarted = true;
      } else if (c == ',') {
        record.add(field.toString());
        field.setLength(0);
        fieldStarted = false;
      } else if (c == '\r' || c == '\n') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        record.add(field.toString());
        field.setLength(0);
        fieldStarted = false;
        if (!(record.size() == 1 && record.get(0).isEmpty())) {
          records.add(new Record(start, record));
        }
        record = new ArrayList<>();
        line++;
        start = line;
      } else {
        field.append(c);
        fieldStarted = true;
      }
    }
    if (quoted) {
      throw new Malformed(line, "a quoted field is not closed");
    }
    record.add(field.toString());
    if (!(record.size() == 1 && record.get(0).isEmpty())) {
      records.add(new Record(start, record));
    }
    return records;
  }

  /** Every record's fields, blank lines left out. */
  public static List<List<String>> parse(String text) throws Malformed {
    return read(text).stream().map(Record::fields).toList();
  }
}
