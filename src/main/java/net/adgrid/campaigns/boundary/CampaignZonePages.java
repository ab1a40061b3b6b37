package net.adgrid.campaigns.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.adgrid.campaigns.control.CampaignZones;
import net.adgrid.campaigns.entity.Campaign;
import net.adgrid.inventory.entity.Zone;
import net.adgrid.platform.ProblemException;

/** The zones section of a campaign's page: where it runs, and the network's zones to add. */
@Named
@RequestScoped
public class CampaignZonePages {

  static final String FORM = "zones";

  @Inject CampaignPages campaignPages;
  @Inject CampaignZones zones;
  @Inject FacesContext faces;

  private Long zoneId;
  private List<Zone> linked;
  private List<Zone> offered;

  public List<Zone> getLinked() {
    if (linked == null) {
      Campaign campaign = campaignPages.current();
      linked = campaign == null ? List.of() : zones.of(campaign);
    }
    return linked;
  }

  /** The network's zones this campaign does not run in yet (read once per request). */
  public List<Zone> getOffered() {
    if (offered == null) {
      Set<Long> taken = getLinked().stream().map(Zone::id).collect(Collectors.toSet());
      offered = zones.offered().stream().filter(z -> !taken.contains(z.id())).toList();
    }
    return offered;
  }

  public String label(Zone zone) {
    return zone.site().name()
        + " › "
        + zone.name()
        + " ("
        + zone.width()
        + "×"
        + zone.height()
        + ", zone "
        + zone.id()
        + ")";
  }

  @Transactional
  public void link() {
    Campaign campaign = campaignPages.current();
    if (campaign == null || zoneId == null) {
      message(FacesMessage.SEVERITY_ERROR, "Pick a zone.");
      return;
    }
    try {
      zones.link(campaign, zoneId);
      linked = null;
      offered = null;
      message(FacesMessage.SEVERITY_INFO, "The campaign runs in zone " + zoneId + " now.");
    } catch (ProblemException e) {
      message(FacesMessage.SEVERITY_ERROR, "That zone no longer exists.");
    }
  }

  /** Takes the campaign out of the zone named by the row's {@code zone} parameter. */
  @Transactional
  public void unlink() {
    Campaign campaign = campaignPages.current();
    String zone = faces.getExternalContext().getRequestParameterMap().get("zone");
    if (campaign == null || zone == null || !zone.matches("\\d{1,18}")) {
      message(FacesMessage.SEVERITY_ERROR, "Pick a zone.");
      return;
    }
    zones.unlink(campaign, Long.parseLong(zone));
    linked = null;
    offered = null;
    message(FacesMessage.SEVERITY_INFO, "The campaign no longer runs in zone " + zone + ".");
  }

  private void message(FacesMessage.Severity severity, String text) {
    faces.addMessage(FORM, new FacesMessage(severity, text, null));
  }

  public Long getZoneId() {
    return zoneId;
  }

  public void setZoneId(Long zoneId) {
    this.zoneId = zoneId;
  }
}
