package net.adgrid.serving.control;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnit;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.adgrid.accounts.entity.Account;
import net.adgrid.campaigns.entity.Campaign;
import net.adgrid.campaigns.entity.CampaignStatus;
import net.adgrid.campaigns.entity.Creative;
import net.adgrid.campaigns.entity.CreativeKind;
import net.adgrid.campaigns.entity.Review;
import net.adgrid.inventory.entity.Zone;
import net.adgrid.platform.NodeIdentity;
import net.adgrid.platform.SchemaMigrations.SchemaReady;
import net.adgrid.serving.control.Selection.Candidate;

/**
 * This node's in-memory view of what can serve where: for each zone, the approved creatives of
 * active campaigns linked to it that fit it. Decisions read it without touching the database. It is
 * built at start (before the node reports ready) and built again, on every node, when a management
 * change is committed anywhere in the cluster (a message on a grid topic), and every 30 seconds in
 * case a message was missed. Building replaces the whole index at once: a decision sees the old one
 * or the new one, never a mix.
 */
@ApplicationScoped
public class DeliveryIndex {

  private static final Logger LOG = Logger.getLogger(DeliveryIndex.class.getName());
  static final String TOPIC = "adgrid.delivery-changes";
  static final long SAFETY_REBUILD_SECONDS = 30;
  static final long WATCH_MILLIS = 50;

  /** What a zone can show, and what each of its creatives looks like. */
  public record ZoneEntry(long zoneId, List<Candidate> candidates, Map<Long, Shown> creatives) {}

  /** A creative as a decision returns it. */
  public record Shown(
      long id,
      long campaignId,
      CreativeKind kind,
      int width,
      int height,
      String landingUrl,
      String headline,
      String body,
      String html) {}

  /**
   * Who owns what, with names, for every campaign, creative, zone and site (paused and
   * deleted-from- serving ones too): what the live figures are grouped and scoped by. {@code owner}
   * is the account; {@code parent} the campaign of a creative, the site of a zone, else 0.
   */
  public record Named(String name, long owner, long parent) {}

  public record Directory(
      Map<Long, Named> campaigns,
      Map<Long, Named> creatives,
      Map<Long, Named> zones,
      Map<Long, Named> sites,
      Map<Long, String> accounts) {

    static final Directory EMPTY = new Directory(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
  }

  /** Fired (in the transaction) by whatever changes what may serve; published after commit. */
  public record Changed() {}

  /**
   * Rebuilds run on a timer thread: they use an entity manager of their own, opened and closed per
   * build, not the container's per-request one (closed, or absent, on such a thread).
   */
  @PersistenceUnit EntityManagerFactory persistence;

  @Resource(lookup = "payara/Hazelcast")
  HazelcastInstance grid;

  @Resource ManagedScheduledExecutorService scheduler;
  @Inject NodeIdentity node;

  private volatile Map<Long, ZoneEntry> zones;
  private volatile Map<Long, Campaign> campaigns = Map.of();
  private volatile Map<Long, String> landings = Map.of();
  private volatile Directory directory = Directory.EMPTY;
  private volatile Instant builtAt;
  private volatile long builtNanos;
  private final AtomicBoolean rebuildWanted = new AtomicBoolean();
  private UUID listener;
  private ScheduledFuture<?> watcher;

  void start(@Observes SchemaReady ready) {
    rebuild();
    if (listener == null) {
      // The grid calls the listener on its own threads, which know nothing of the application
      // (no JPA there): it only raises a flag. A task started here, with the application's
      // context, looks at the flag every 50 ms and rebuilds, and every 30 s rebuilds anyway.
      listener = topic().addMessageListener(message -> rebuildWanted.set(true));
      watcher =
          scheduler.scheduleWithFixedDelay(
              this::watch, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private void watch() {
    boolean stale =
        System.nanoTime() - builtNanos > TimeUnit.SECONDS.toNanos(SAFETY_REBUILD_SECONDS);
    if (rebuildWanted.getAndSet(false) || stale) {
      rebuildQuietly();
    }
  }

  @PreDestroy
  void stop() {
    if (watcher != null) {
      watcher.cancel(false);
    }
    if (listener != null) {
      try {
        topic().removeMessageListener(listener);
      } catch (RuntimeException e) {
        // the grid is going away with the node
      }
    }
  }

  /** After a management change commits: tell every node (this one too) to build again. */
  void publish(@Observes(during = TransactionPhase.AFTER_SUCCESS) Changed changed) {
    topic().publish(node.name());
  }

  private ITopic<String> topic() {
    return grid.getTopic(TOPIC);
  }

  private void rebuildQuietly() {
    try {
      rebuild();
    } catch (RuntimeException e) {
      // The index in use stays; the next message or the safety rebuild tries again.
      LOG.log(Level.WARNING, "Could not rebuild the delivery index", e);
    }
  }

  synchronized void rebuild() {
    EntityManager em = persistence.createEntityManager();
    try {
      build(em);
    } finally {
      em.close();
    }
  }

  private void build(EntityManager em) {
    Instant started = Instant.now();
    Map<Long, ZoneId> accountZones = new HashMap<>();
    for (Account a :
        em.createQuery("SELECT a FROM Account a WHERE a.disabled = false", Account.class)
            .setHint(
                "jakarta.persistence.cache.retrieveMode",
                jakarta.persistence.CacheRetrieveMode.BYPASS)
            .getResultList()) {
      accountZones.put(a.id(), a.timeZone());
    }
    Map<Long, Campaign> campaigns = new HashMap<>();
    for (Campaign c :
        em.createQuery("SELECT c FROM Campaign c WHERE c.status = :active", Campaign.class)
            .setParameter("active", CampaignStatus.ACTIVE)
            .setHint(
                "jakarta.persistence.cache.retrieveMode",
                jakarta.persistence.CacheRetrieveMode.BYPASS)
            .getResultList()) {
      if (accountZones.containsKey(c.accountId())
          && (c.endsAt() == null || c.endsAt().isAfter(started))) {
        campaigns.put(c.id(), c);
      }
    }
    Map<Long, List<Creative>> creatives = new HashMap<>();
    for (Creative cr :
        em.createQuery(
                "SELECT cr FROM Creative cr WHERE cr.review = :approved AND cr.campaign.status = :active",
                Creative.class)
            .setParameter("approved", Review.APPROVED)
            .setParameter("active", CampaignStatus.ACTIVE)
            .getResultList()) {
      creatives.computeIfAbsent(cr.campaign().id(), id -> new ArrayList<>()).add(cr);
    }
    Map<Long, Zone> zoneRows = new HashMap<>();
    for (Zone z :
        em.createQuery("SELECT z FROM Zone z", Zone.class)
            .setHint(
                "jakarta.persistence.cache.retrieveMode",
                jakarta.persistence.CacheRetrieveMode.BYPASS)
            .getResultList()) {
      zoneRows.put(z.id(), z);
    }
    Map<Long, List<Candidate>> candidates = new HashMap<>();
    Map<Long, Map<Long, Shown>> shown = new HashMap<>();
    for (Object row :
        em.createNativeQuery("SELECT campaign_id, zone_id FROM campaign_zone").getResultList()) {
      Object[] link = (Object[]) row;
      Campaign campaign = campaigns.get(((Number) link[0]).longValue());
      Zone zone = zoneRows.get(((Number) link[1]).longValue());
      if (campaign == null || zone == null) {
        continue;
      }
      for (Creative cr : creatives.getOrDefault(campaign.id(), List.of())) {
        if (!zone.fits(cr.kind(), cr.width(), cr.height())) {
          continue;
        }
        candidates
            .computeIfAbsent(zone.id(), id -> new ArrayList<>())
            .add(
                new Candidate(
                    campaign.id(),
                    cr.id(),
                    campaign.type(),
                    campaign.priority(),
                    campaign.weight(),
                    campaign.startsAt(),
                    campaign.endsAt(),
                    accountZones.get(campaign.accountId()),
                    campaign.targeting(),
                    cr.kind()));
        shown
            .computeIfAbsent(zone.id(), id -> new HashMap<>())
            .put(
                cr.id(),
                new Shown(
                    cr.id(),
                    campaign.id(),
                    cr.kind(),
                    cr.width(),
                    cr.height(),
                    cr.landingUrl(),
                    cr.headline(),
                    cr.body(),
                    cr.html()));
      }
    }
    Map<Long, ZoneEntry> built = new HashMap<>();
    for (Zone z : zoneRows.values()) {
      built.put(
          z.id(),
          new ZoneEntry(
              z.id(),
              List.copyOf(candidates.getOrDefault(z.id(), List.of())),
              Map.copyOf(shown.getOrDefault(z.id(), Map.of()))));
    }
    Map<Long, String> landingUrls = new HashMap<>();
    for (List<Creative> list : creatives.values()) {
      for (Creative cr : list) {
        landingUrls.put(cr.id(), cr.landingUrl());
      }
    }
    Directory names = directory(em);
    zones = Map.copyOf(built);
    this.directory = names;
    this.campaigns = Map.copyOf(campaigns);
    this.landings = Map.copyOf(landingUrls);
    builtAt = started;
    builtNanos = System.nanoTime();
    LOG.fine(
        () ->
            "Delivery index: "
                + built.size()
                + " zones, "
                + campaigns.size()
                + " active campaigns");
  }

  private static Directory directory(EntityManager em) {
    Map<Long, Named> campaigns = named(em, "SELECT id, name, account_id, 0 FROM campaign");
    Map<Long, Named> creatives =
        named(
            em,
            "SELECT cr.id, cr.name, c.account_id, c.id"
                + " FROM creative cr JOIN campaign c ON c.id = cr.campaign_id");
    Map<Long, Named> zones =
        named(
            em,
            "SELECT z.id, z.name, s.account_id, s.id"
                + " FROM zone z JOIN site s ON s.id = z.site_id");
    Map<Long, Named> sites = named(em, "SELECT id, name, account_id, 0 FROM site");
    Map<Long, String> accounts = new HashMap<>();
    for (Object row : em.createNativeQuery("SELECT id, name FROM account").getResultList()) {
      Object[] columns = (Object[]) row;
      accounts.put(((Number) columns[0]).longValue(), (String) columns[1]);
    }
    return new Directory(campaigns, creatives, zones, sites, Map.copyOf(accounts));
  }

  private static Map<Long, Named> named(EntityManager em, String sql) {
    Map<Long, Named> named = new HashMap<>();
    for (Object row : em.createNativeQuery(sql).getResultList()) {
      Object[] columns = (Object[]) row;
      named.put(
          ((Number) columns[0]).longValue(),
          new Named(
              (String) columns[1],
              ((Number) columns[2]).longValue(),
              ((Number) columns[3]).longValue()));
    }
    return Map.copyOf(named);
  }

  /** Owners and names of everything that can have figures, as of the last build. */
  public Directory directory() {
    return directory;
  }

  /** The zone's entry, if the zone exists (as of the last build). */
  public Optional<ZoneEntry> zone(long zoneId) {
    Map<Long, ZoneEntry> current = zones;
    return current == null ? Optional.empty() : Optional.ofNullable(current.get(zoneId));
  }

  /** An active campaign, as of the last build. */
  public Optional<Campaign> campaign(long campaignId) {
    return Optional.ofNullable(campaigns.get(campaignId));
  }

  /**
   * Where a click on the creative leads: from the index for serving creatives, else (a paused
   * campaign's old link) from the database.
   */
  public Optional<String> landing(long creativeId) {
    String url = landings.get(creativeId);
    if (url != null) {
      return Optional.of(url);
    }
    EntityManager em = persistence.createEntityManager();
    try {
      Creative creative = em.find(Creative.class, creativeId);
      return creative == null ? Optional.empty() : Optional.of(creative.landingUrl());
    } finally {
      em.close();
    }
  }

  public boolean isBuilt() {
    return zones != null;
  }

  public Instant builtAt() {
    return builtAt;
  }
}
