package net.adgrid.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

  @Test
  void fieldsAsSpreadsheetsWriteThem() throws Exception {
    assertEquals(
        List.of(
            List.of("name", "html"), List.of("A, b", "<p class=\"x\">\nhi</p>"), List.of("", "")),
        Csv.parse("\uFEFFname,html\r\n\"A, b\",\"<p class=\"\"x\"\">\nhi</p>\"\r\n\r\n,\n"));
    assertEquals(List.of(List.of("a")), Csv.parse("a"));
    assertEquals(List.of(), Csv.parse(""));
  }

  @Test
  void recordsKnowTheLineTheyStartOn() throws Exception {
    assertEquals(
        List.of(
            new Csv.Record(1, List.of("a")),
            new Csv.Record(3, List.of("b\nc")),
            new Csv.Record(5, List.of("d"))),
        Csv.read("a\n\n\"b\nc\"\nd"));
  }

  @Test
  void brokenQuotingNamesItsLine() {
    assertEquals(2, assertThrows(Csv.Malformed.class, () -> Csv.parse("a\n\"b")).line());
    assertEquals(1, assertThrows(Csv.Malformed.class, () -> Csv.parse("a\"b")).line());
    assertEquals(1, assertThrows(Csv.Malformed.class, () -> Csv.parse("\"a\"b")).line());
  }

  @Test
  void writesLinesThatReadBackAndCannotRunAsFormulas() throws Csv.Malformed {
    String text =
        Csv.line(List.of("Summer, \"big\" sale", "=HYPERLINK(\"x\")", "-12.5", "@me", "plain"))
            + Csv.line(java.util.Arrays.asList("two\nlines", null, "+1"));
    List<List<String>> back = Csv.parse(text);
    assertEquals(
        List.of("Summer, \"big\" sale", "'=HYPERLINK(\"x\")", "-12.5", "'@me", "plain"),
        back.get(0));
    assertEquals(List.of("two\nlines", "", "+1"), back.get(1));
  }
}
