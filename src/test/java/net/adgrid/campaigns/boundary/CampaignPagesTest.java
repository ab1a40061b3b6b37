package net.adgrid.campaigns.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CampaignPagesTest {

  @Test
  void moneyShowsAtLeastTwoDecimalsAndNothingIsRoundedAway() {
    assertEquals("900.00", CampaignPages.money(new BigDecimal("900")));
    assertEquals("400.00", CampaignPages.money(new BigDecimal("400.0000")));
    assertEquals("0.35", CampaignPages.money(new BigDecimal("0.3500")));
    assertEquals("0.1234", CampaignPages.money(new BigDecimal("0.1234")));
    assertEquals("1000000.00", CampaignPages.money(new BigDecimal("1E+6")));
    assertEquals("", CampaignPages.money(null));
  }
}
