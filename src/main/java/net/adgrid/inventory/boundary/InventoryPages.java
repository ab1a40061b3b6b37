package net.adgrid.inventory.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.adgrid.accounts.boundary.PageAccess;
import net.adgrid.accounts.control.Caller;
import net.adgrid.accounts.control.CurrentCaller;
import net.adgrid.accounts.entity.Role;
import net.adgrid.campaigns.entity.CreativeKind;
import net.adgrid.inventory.boundary.SitesResource.SiteInput;
import net.adgrid.inventory.boundary.ZonesResource.ZoneInput;
import net.adgrid.inventory.control.InvocationTags;
import net.adgrid.inventory.entity.Site;
import net.adgrid.inventory.entity.Zone;
import net.adgrid.platform.Problem.FieldError;

/**
 * The publisher's inventory page: their sites with the zones on each, and forms to add both, with
 * the same rules as the API.
 */
@Named
@RequestScoped
public class InventoryPages {

  @Inject CurrentCaller currentCaller;
  @Inject FacesContext faces;
  @PersistenceContext EntityManager em;

  private String siteName;
  private String domain;
  private String zoneName;
  private Integer width;
  private Integer height;
  private List<String> kinds = new ArrayList<>(List.of("IMAGE", "HTML", "TEXT"));
  private List<Site> sites;

  /** Inventory is for publishers and admins: anyone else gets 403, not the page. */
  public boolean requireAccess() throws IOException {
    return PageAccess.allow(
        faces, currentCaller, "Sites are for publishers.", Role.PUBLISHER, Role.ADMIN);
  }

  private Caller caller() {
    return currentCaller.require(Role.PUBLISHER, Role.ADMIN);
  }

  public List<Site> getSites() {
    if (sites == null) {
      Caller caller = caller();
      sites =
          caller.is(Role.ADMIN)
              ? em.createQuery("SELECT s FROM Site s ORDER BY s.id", Site.class)
                  .setMaxResults(500)
                  .getResultList()
              : em.createQuery(
                      "SELECT s FROM Site s WHERE s.accountId = :account ORDER BY s.id", Site.class)
                  .setParameter("account", caller.accountId())
                  .setMaxResults(500)
                  .getResultList();
    }
    return sites;
  }

  public List<Zone> zones(Site site) {
    return em.createQuery("SELECT z FROM Zone z WHERE z.site = :site ORDER BY z.id", Zone.class)
        .setParameter("site", site)
        .getResultList();
  }

  /** The snippets to paste for a zone, with the network's public address in them. */
  public List<InvocationTags.Tag> tags(Zone zone) {
    return InvocationTags.of(
        zone,
        net.adgrid.platform.PublicAddress.of(
            (jakarta.servlet.http.HttpServletRequest) faces.getExternalContext().getRequest()));
  }

  public String kindsOf(Zone zone) {
    return CreativeKind.join(zone.allowedKinds()).replace(",", ", ");
  }

  @Transactional
  public void addSite() {
    Caller caller = caller();
    if (!caller.is(Role.PUBLISHER)) {
      faces.addMessage(null, error("Only a publisher account adds sites."));
      return;
    }
    SiteInput input = new SiteInput(siteName, domain);
    if (reported(input.problems())) {
      return;
    }
    em.persist(new Site(caller.accountId(), siteName, domain));
    faces.addMessage(null, new FacesMessage("Added the site " + siteName.trim() + "."));
    siteName = domain = null;
    sites = null;
  }

  /** Adds a zone to the site whose id the site's form sent. */
  @Transactional
  public void addZone() {
    Caller caller = caller();
    String siteParameter = faces.getExternalContext().getRequestParameterMap().get("site");
    Site site =
        siteParameter != null && siteParameter.matches("\\d{1,18}")
            ? em.find(Site.class, Long.parseLong(siteParameter))
            : null;
    if (site == null || !caller.is(Role.PUBLISHER) || site.accountId() != caller.accountId()) {
      faces.addMessage(null, error("There is no such site of this account."));
      return;
    }
    Set<CreativeKind> allowed = EnumSet.noneOf(CreativeKind.class);
    for (String kind : kinds) {
      try {
        allowed.add(CreativeKind.valueOf(kind));
      } catch (IllegalArgumentException e) {
        faces.addMessage(null, error("Unknown kind of creative: " + kind));
        return;
      }
    }
    ZoneInput input = new ZoneInput(site.id(), zoneName, width, height, allowed);
    if (reported(input.problems())) {
      return;
    }
    em.persist(new Zone(site, zoneName, width, height, allowed));
    faces.addMessage(
        null, new FacesMessage("Added the zone " + zoneName.trim() + " to " + site.name() + "."));
    zoneName = null;
    width = height = null;
    sites = null;
  }

  /** Shows each problem at the top of the page, naming its field; true if there were any. */
  private boolean reported(List<FieldError> problems) {
    problems.forEach(p -> faces.addMessage(null, error(p.field() + ": " + p.message())));
    return !problems.isEmpty();
  }

  private static FacesMessage error(String message) {
    return new FacesMessage(FacesMessage.SEVERITY_ERROR, message, null);
  }

  public CreativeKind[] getAllKinds() {
    return CreativeKind.values();
  }

  public String getSiteName() {
    return siteName;
  }

  public void setSiteName(String siteName) {
    this.siteName = siteName;
  }

  public String getDomain() {
    return domain;
  }

  public void setDomain(String domain) {
    this.domain = domain;
  }

  public String getZoneName() {
    return zoneName;
  }

  public void setZoneName(String zoneName) {
    this.zoneName = zoneName;
  }

  public Integer getWidth() {
    return width;
  }

  public void setWidth(Integer width) {
    this.width = width;
  }

  public Integer getHeight() {
    return height;
  }

  public void setHeight(Integer height) {
    this.height = height;
  }

  public List<String> getKinds() {
    return kinds;
  }

  public void setKinds(List<String> kinds) {
    this.kinds = kinds;
  }
}
