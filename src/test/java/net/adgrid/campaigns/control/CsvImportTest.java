package net.adgrid.campaigns.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import net.adgrid.campaigns.control.CsvImport.RowError;
import org.junit.jupiter.api.Test;

class CsvImportTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void rowsBecomeCampaignsWithTimesInTheAccountsZone() {
    List<RowError> errors = new ArrayList<>();
    List<CampaignInput> inputs =
        CsvImport.campaignInputs(
            "name,type,priority,startsAt,pricing,rate,budget,impressionCap\n"
                + "Winter,contract,5,2026-12-01 09:00,CPM,2.50,1000,5000\n"
                + "\"Spring, early\",REMNANT,,2027-03-01T00:00:00Z,cpc,0.3,200.0001,\n",
            BERLIN,
            errors);
    assertEquals(List.of(), errors);
    assertEquals(2, inputs.size());
    assertEquals(Instant.parse("2026-12-01T08:00:00Z"), inputs.get(0).startsAt());
    assertEquals(new BigDecimal("200.0001"), inputs.get(1).budget());
    assertEquals("Spring, early", inputs.get(1).name());
  }

  @Test
  void everyProblemIsNamedByRowAndColumnAndNothingIsKept() {
    List<RowError> errors = new ArrayList<>();
    List<CampaignInput> inputs =
        CsvImport.campaignInputs(
            "name,type,priority,startsAt,pricing,rate,budget\n"
                + "Good,REMNANT,,2026-12-01 09:00,CPM,1,10\n"
                + "Bad,CONTRACT,,tomorrow,CPM,1.123456,10\n"
                + "Short,REMNANT\n",
            BERLIN,
            errors);
    assertEquals(List.of(), inputs, "all or nothing");
    assertEquals(
        List.of(
            new RowError(3, "startsAt", "“tomorrow” is not a time such as 2026-12-01 09:00"),
            new RowError(3, "priority", "a contract campaign needs a priority from 1 to 10"),
            new RowError(3, "rate", "has at most 4 decimal places")),
        errors.stream().filter(e -> e.row() == 3).toList());
    assertTrue(errors.stream().anyMatch(e -> e.row() == 4 && e.column() == null));
  }

  @Test
  void theHeaderIsChecked() {
    List<RowError> errors = new ArrayList<>();
    CsvImport.campaignInputs("name,colour\nA,red\n", BERLIN, errors);
    assertTrue(errors.stream().allMatch(e -> e.row() == 1));
    assertTrue(errors.stream().anyMatch(e -> "colour".equals(e.column())));
    assertTrue(errors.stream().anyMatch(e -> "budget".equals(e.column())));
    errors.clear();
    CsvImport.campaignInputs("", BERLIN, errors);
    assertEquals(1, errors.size());
    errors.clear();
    CsvImport.campaignInputs("name\n\"unclosed\n", BERLIN, errors);
    assertTrue(errors.get(0).message().startsWith("not CSV"));
  }
}
