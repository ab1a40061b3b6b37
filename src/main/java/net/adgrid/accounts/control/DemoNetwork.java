package net.adgrid.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import javax.imageio.ImageIO;
import net.adgrid.accounts.entity.Account;
import net.adgrid.accounts.entity.Role;
import net.adgrid.accounts.entity.User;
import net.adgrid.campaigns.entity.Campaign;
import net.adgrid.campaigns.entity.CampaignStatus;
import net.adgrid.campaigns.entity.CampaignType;
import net.adgrid.campaigns.entity.Creative;
import net.adgrid.campaigns.entity.CreativeKind;
import net.adgrid.campaigns.entity.Pacing;
import net.adgrid.campaigns.entity.Pricing;
import net.adgrid.campaigns.entity.Review;
import net.adgrid.inventory.entity.Site;
import net.adgrid.inventory.entity.Zone;
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
    Account planet = account("Daily Planet", Role.PUBLISHER, PUBLISHER, "Perry White", hash);
    Account gadget = account("Gadget Weekly", Role.PUBLISHER, OTHER_PUBLISHER, "Gail Gadget", hash);
    Set<CreativeKind> all = EnumSet.allOf(CreativeKind.class);
    Site news = site(planet, "Daily Planet news", "news.dailyplanet.example");
    Zone newsSidebar = zone(news, "Sidebar", 300, 250, all);
    Zone newsTop = zone(news, "Top banner", 728, 90, all);
    Site reviews = site(gadget, "Gadget Weekly reviews", "reviews.gadgetweekly.example");
    Zone reviewsInline =
        zone(reviews, "In article", 300, 250, EnumSet.of(CreativeKind.IMAGE, CreativeKind.TEXT));

    Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS);
    Campaign autumn =
        campaign(
            northwind,
            "Autumn blend launch",
            CampaignType.CONTRACT,
            8,
            start,
            Pricing.CPM,
            "2.5000",
            "1500.0000");
    Campaign brand =
        campaign(
            northwind,
            "Always-on brand",
            CampaignType.REMNANT,
            null,
            start,
            Pricing.CPC,
            "0.3500",
            "400.0000");
    Campaign trail =
        campaign(
            contoso,
            "Trail season",
            CampaignType.CONTRACT,
            5,
            start,
            Pricing.CPM,
            "3.1000",
            "2500.0000");
    Campaign clearance =
        campaign(
            contoso,
            "Clearance weekend",
            CampaignType.OVERRIDE,
            null,
            start,
            Pricing.CPC,
            "0.5000",
            "300.0000");
    image(
        autumn,
        "Autumn blend 300x250",
        300,
        250,
        new Color(0x8a4b2a),
        "Autumn blend",
        "https://northwind.example/autumn");
    html(
        autumn,
        "Autumn blend leaderboard",
        728,
        90,
        "https://northwind.example/autumn",
        "<div style=\"font:bold 28px sans-serif;color:#fff;background:#8a4b2a;height:90px;"
            + "line-height:90px;text-align:center\">Autumn blend: roasted this week</div>");
    text(
        brand,
        "Northwind text",
        300,
        250,
        "https://northwind.example/",
        "Northwind Coffee",
        "Fresh beans, every week, to your door.");
    image(
        trail,
        "Trail shoes 300x250",
        300,
        250,
        new Color(0x2f6b3a),
        "Trail season",
        "https://contoso.example/trail");
    text(
        clearance,
        "Clearance text",
        300,
        250,
        "https://contoso.example/clearance",
        "Clearance weekend",
        "Up to 50% off tents and packs.");
    link(autumn, newsSidebar, newsTop, reviewsInline);
    link(brand, newsSidebar, reviewsInline);
    link(trail, newsSidebar, reviewsInline);
    link(clearance, newsTop, reviewsInline);
    for (Campaign c : List.of(autumn, brand, trail, clearance)) {
      c.changeStatus(CampaignStatus.ACTIVE);
    }
    autumn.cap(200_000L, null, 20_000L, null);
    LOG.info("Seeded the demo network (5 accounts, 4 active campaigns, 5 creatives, 3 zones)");
  }

  private Account account(String name, Role role, String email, String person, String hash) {
    Account account = new Account(name, role, ZoneId.of("UTC"));
    em.persist(account);
    em.persist(new User(account, email, person, hash));
    em.flush(); // the account's id, which its campaigns refer to
    return account;
  }

  private Site site(Account owner, String name, String domain) {
    Site site = new Site(owner.id(), name, domain);
    em.persist(site);
    return site;
  }

  private Zone zone(Site site, String name, int width, int height, Set<CreativeKind> kinds) {
    Zone zone = new Zone(site, name, width, height, kinds);
    em.persist(zone);
    em.flush(); // its id, which links refer to
    return zone;
  }

  private void link(Campaign campaign, Zone... zones) {
    for (Zone zone : zones) {
      em.createNativeQuery("INSERT INTO campaign_zone (campaign_id, zone_id) VALUES (?1, ?2)")
          .setParameter(1, campaign.id())
          .setParameter(2, zone.id())
          .executeUpdate();
    }
  }

  private void approved(
      Campaign campaign,
      String name,
      CreativeKind kind,
      int width,
      int height,
      String landing,
      String headline,
      String body,
      String html,
      byte[] image) {
    Creative creative = new Creative(campaign);
    creative.show(
        name,
        kind,
        width,
        height,
        landing,
        headline,
        body,
        html,
        image,
        image == null ? null : "image/png");
    creative.review(Review.APPROVED);
    em.persist(creative);
  }

  private void text(
      Campaign c, String name, int w, int h, String landing, String headline, String body) {
    approved(c, name, CreativeKind.TEXT, w, h, landing, headline, body, null, null);
  }

  private void html(Campaign c, String name, int w, int h, String landing, String html) {
    approved(c, name, CreativeKind.HTML, w, h, landing, null, null, html, null);
  }

  /** A banner drawn here, so the demo needs no image files: a colour and the campaign's words. */
  private void image(
      Campaign c, String name, int w, int h, Color colour, String words, String landing) {
    BufferedImage banner = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = banner.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, w, h);
    g.setColor(colour.brighter());
    g.fillRect(0, h - h / 5, w, h / 5);
    g.setColor(Color.WHITE);
    try {
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 26));
      g.drawString(words, 20, h / 2);
    } catch (RuntimeException | InternalError e) {
      // A machine without fonts (fontconfig finds none) still gets the banner, without words.
      LOG.info("Demo banner without words: no font (" + e + ")");
    }
    g.dispose();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(banner, "png", png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    approved(c, name, CreativeKind.IMAGE, w, h, landing, null, null, null, png.toByteArray());
  }

  private Campaign campaign(
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
    // ASAP: the demo's few page views would mostly see empty slots under even pacing (a daily
    // cap of 20,000 paced over a day allows one ad every few seconds per node).
    campaign.setPacing(Pacing.ASAP);
    em.persist(campaign);
    em.flush(); // its id, which links refer to
    return campaign;
  }
}
