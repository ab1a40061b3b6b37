package net.adgrid.campaigns.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import net.adgrid.campaigns.entity.Campaign;
import net.adgrid.inventory.entity.Zone;
import net.adgrid.platform.ProblemException;

/**
 * Which zones of the network a campaign runs in. Any zone may be linked: the zones are what the
 * network offers to every advertiser; a zone only shows creatives that fit its size and kinds.
 * Linking and unlinking are idempotent. Callers check that the campaign is the caller's and run in
 * a transaction.
 */
@ApplicationScoped
public class CampaignZones {

  @PersistenceContext EntityManager em;

  public List<Zone> of(Campaign campaign) {
    List<Long> ids = ids(campaign);
    if (ids.isEmpty()) {
      return List.of();
    }
    return em.createQuery("SELECT z FROM Zone z WHERE z.id IN :ids ORDER BY z.id", Zone.class)
        .setParameter("ids", ids)
        .getResultList();
  }

  public List<Long> ids(Campaign campaign) {
    return ((List<?>)
            em.createNativeQuery(
                    "SELECT zone_id FROM campaign_zone WHERE campaign_id = ?1 ORDER BY zone_id")
                .setParameter(1, campaign.id())
                .getResultList())
        .stream().map(zone -> ((Number) zone).longValue()).toList();
  }

  /** Runs the campaign in the zone; 404 if there is no such zone. */
  public void link(Campaign campaign, long zoneId) {
    if (em.find(Zone.class, zoneId) == null) {
      throw ProblemException.notFound("There is no zone " + zoneId + ".");
    }
    em.createNativeQuery(
            "INSERT INTO campaign_zone (campaign_id, zone_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
        .setParameter(1, campaign.id())
        .setParameter(2, zoneId)
        .executeUpdate();
    net.adgrid.serving.control.DeliveryChangeListener.fire();
  }

  public void unlink(Campaign campaign, long zoneId) {
    em.createNativeQuery("DELETE FROM campaign_zone WHERE campaign_id = ?1 AND zone_id = ?2")
        .setParameter(1, campaign.id())
        .setParameter(2, zoneId)
        .executeUpdate();
    net.adgrid.serving.control.DeliveryChangeListener.fire();
  }

  /** Every zone of the network an advertiser may pick from (at most 1,000, newest sites last). */
  public List<Zone> offered() {
    return em.createQuery(
            "SELECT z FROM Zone z JOIN z.site s ORDER BY s.name, s.id, z.name, z.id", Zone.class)
        .setMaxResults(1000)
        .getResultList();
  }
}
