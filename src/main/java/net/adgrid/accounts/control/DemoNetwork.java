package net.adgrid.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.logging.Logger;
import net.adgrid.accounts.entity.Account;
import net.adgrid.accounts.entity.Role;
import net.adgrid.accounts.entity.User;
import net.adgrid.campaigns.entity.Campaign;
import net.adgrid.campaigns.entity.CampaignType;
import net.adgrid.campaigns.entity.Pacing;
import net.adgrid.campaigns.entity.Pricing;
import net.adgrid.platform.SchemaMigrations.SchemaReady;

/**
 * A demo network for a first look: an admin, two advertisers with campaigns and two publishers, all
 * with the password in {@code ADGRID_DEMO_PASSWORD}. Seeded only when that variable is set and the
 * database has no account at all; the nodes that start together decide under a PostgreSQL advisory
 * lock, so exactly one of them seeds.
 */
@ApplicationScoped
public class DemoNetwork {

  private static final Logger LOG = Logger.getLogger(DemoNetwork.class.getName());
  static final long SEED_LOCK = 0x61646772_69640001L;

  public static final String ADMIN = "admin@adgrid.test";
  public static final String ADVERTISER = "ads@northwind.test";
  public static final String OTHER_ADVERTISER = "ads@contoso.test";
  public static final String PUBLISHER = "pub@dailyplanet.test";
  public static final String OTHER_PUBLISHER = "pub@gadgetweekly.test";

  @PersistenceContext EntityManager em;

  @Transactional
  void seed(@Observes SchemaReady ready) {
    String password = System.getenv("ADGRID_DEMO_PASSWORD");
    if (password == null || password.isBlank()) {
      return;
    }
    em.createNativeQuery("SELECT pg_advisory_xact_lock(?1)")
        .setParameter(1, SEED_LOCK)
        .getSingleResult();
    long accounts =
        ((Number) em.createNativeQuery("SELECT count(*) FROM account").getSingleResult())
            .longValue();
    if (accounts > 0) {
      return;
    }
    String hash = PasswordHashing.hash(password.toCharArray());
    account("adgrid network", Role.ADMIN, ADMIN, "Network admin", hash);
    Account northwind =
        account("Northwind Coffee", Role.ADVERTISER, ADVERTISER, "Nora North", hash);
    Account contoso =
        account("Contoso Outdoor", Role.ADVERTISER, OTHER_ADVERTISER, "Cody Contoso", hash);
    account("Daily Planet", Role.PUBLISHER, PUBLISHER, "Perry White", hash);
    account("Gadget Weekly", Role.PUBLISHER, OTHER_PUBLISHER, "Gail Gadget", hash);

    Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS);
    campaign(
        northwind,
        "Autumn blend launch",
        CampaignType.CONTRACT,
        8,
        start,
        Pricing.CPM,
        "2.5000",
        "1500.0000");
    campaign(
        northwind,
        "Always-on brand",
        CampaignType.REMNANT,
        null,
        start,
        Pricing.CPC,
        "0.3500",
        "400.0000");
    campaign(
        contoso,
        "Trail season",
        CampaignType.CONTRACT,
        5,
        start,
        Pricing.CPM,
        "3.1000",
        "2500.0000");
    campaign(
        contoso,
        "Clearance weekend",
        CampaignType.OVERRIDE,
        null,
        start,
        Pricing.CPC,
        "0.5000",
        "300.0000");
    LOG.info("Seeded the demo network (5 accounts, 4 campaigns)");
  }

  private Account account(String name, Role role, String email, String person, String hash) {
    Account account = new Account(name, role, ZoneId.of("UTC"));
    em.persist(account);
    em.persist(new User(account, email, person, hash));
    em.flush(); // the account's id, which its campaigns refer to
    return account;
  }

  private void campaign(
      Account owner,
      String name,
      CampaignType type,
      Integer priority,
      Instant start,
      Pricing pricing,
      String rate,
      String budget) {
    Campaign campaign =
        new Campaign(
            owner.id(),
            name,
            type,
            priority,
            start,
            pricing,
            new BigDecimal(rate),
            new BigDecimal(budget));
    campaign.setPacing(type == CampaignType.CONTRACT ? Pacing.EVEN : Pacing.ASAP);
    em.persist(campaign);
  }
}
