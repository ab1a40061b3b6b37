package net.adgrid.campaigns.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.servlet.http.Part;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.List;
import net.adgrid.accounts.control.CurrentCaller;
import net.adgrid.accounts.entity.Role;
import net.adgrid.campaigns.control.CreativeInput;
import net.adgrid.campaigns.entity.Campaign;
import net.adgrid.campaigns.entity.Creative;
import net.adgrid.campaigns.entity.CreativeKind;
import net.adgrid.platform.Problem.FieldError;

/**
 * A campaign's creatives on its page: each with a preview (an image inline, HTML in a sandboxed
 * frame that may run nothing, text as text) and its review state, and a form to add one, with an
 * image uploaded as a file. The same rules as the API ({@link CreativeInput}).
 */
@Named
@RequestScoped
public class CreativePages {

  /** The form whose message list shows this bean's messages. */
  static final String FORM = "creative";

  @Inject CurrentCaller currentCaller;
  @Inject FacesContext faces;
  @Inject CampaignPages campaignPages;
  @PersistenceContext EntityManager em;

  private String name;
  private CreativeKind kind = CreativeKind.IMAGE;
  private Integer width;
  private Integer height;
  private String landingUrl;
  private String headline;
  private String body;
  private String html;
  private Part image;
  private Creative editing;
  private long version;

  /** The campaign named by the page's id parameter, if the caller may see it. */
  private Campaign campaign() {
    return campaignPages.current();
  }

  public List<Creative> getCreatives() {
    Campaign campaign = campaign();
    if (campaign == null) {
      return List.of();
    }
    return em.createQuery(
            "SELECT c FROM Creative c WHERE c.campaign = :campaign ORDER BY c.id", Creative.class)
        .setParameter("campaign", campaign)
        // Outside a transaction the request shares one persistence context: rows read while the
        // form was decoded would otherwise hide the change the form just made.
        .setHint("eclipselink.refresh", "true")
        .getResultList();
  }

  /**
   * The creative named by the {@code creativeId} request parameter (an "Edit" link, or the hidden
   * field of the form that edits it), if it is one of this campaign's. On the first view its fields
   * fill the form; on a post the form keeps what was entered.
   */
  @PostConstruct
  void identify() {
    String id = faces.getExternalContext().getRequestParameterMap().get("creativeId");
    Campaign campaign = campaign();
    if (campaign == null || id == null || !id.matches("\\d{1,18}")) {
      return;
    }
    Creative found = em.find(Creative.class, Long.parseLong(id));
    if (found == null || !found.campaign().id().equals(campaign.id())) {
      return;
    }
    editing = found;
    var request = (jakarta.servlet.http.HttpServletRequest) faces.getExternalContext().getRequest();
    if ("GET".equals(request.getMethod())) {
      version = found.version();
      name = found.name();
      kind = found.kind();
      width = found.width();
      height = found.height();
      landingUrl = found.landingUrl();
      headline = found.headline();
      body = found.body();
      html = found.html();
    }
  }

  /** Adds a creative, or saves the one being edited (which then waits for review again). */
  @Transactional
  public void add() throws IOException {
    Campaign campaign = campaign();
    if (campaign == null
        || !currentCaller.require(Role.ADVERTISER, Role.ADMIN).is(Role.ADVERTISER)) {
      faces.addMessage(FORM, error("Only the advertiser adds creatives to this campaign."));
      return;
    }
    String imageData = null;
    String imageType = null;
    if (kind == CreativeKind.IMAGE && image != null && image.getSize() > 0) {
      if (image.getSize() > CreativeInput.MAX_IMAGE_BYTES) {
        faces.addMessage(FORM, error("image: may be at most 256 KiB"));
        return;
      }
      try (InputStream in = image.getInputStream()) {
        imageData = Base64.getEncoder().encodeToString(in.readAllBytes());
      }
      imageType = image.getContentType();
    } else if (kind == CreativeKind.IMAGE && editing != null && editing.image() != null) {
      // No new file: the creative keeps its image (checked again against the size entered).
      imageData = Base64.getEncoder().encodeToString(editing.image());
      imageType = editing.imageType();
    }
    CreativeInput input =
        new CreativeInput(
            name, kind, width, height, landingUrl, headline, body, html, imageData, imageType);
    List<FieldError> problems = input.problems();
    if (!problems.isEmpty()) {
      problems.forEach(p -> faces.addMessage(FORM, error(p.field() + ": " + p.message())));
      return;
    }
    if (editing != null) {
      // Found while the bean was made, outside this transaction: change the managed row.
      editing = em.find(Creative.class, editing.id());
      if (editing == null) {
        faces.addMessage(FORM, error("This creative was deleted meanwhile."));
        return;
      }
      if (editing.version() != version) {
        faces.addMessage(
            FORM, error("Someone changed this creative since this page was shown; reload it."));
        return;
      }
      input.applyTo(editing);
      em.flush();
      faces.addMessage(
          FORM,
          new FacesMessage("Saved the creative " + name.trim() + "; it is waiting for review."));
      version = editing.version();
      return;
    }
    Creative creative = new Creative(campaign);
    input.applyTo(creative);
    em.persist(creative);
    faces.addMessage(
        FORM,
        new FacesMessage("Added the creative " + name.trim() + "; it is waiting for review."));
    name = landingUrl = headline = body = html = null;
  }

  /** Deletes the creative named by the row's {@code creativeId} parameter. */
  @Transactional
  public String delete() {
    Campaign campaign = campaign();
    if (editing == null || campaign == null) {
      faces.addMessage(FORM, error("There is no such creative."));
      return null;
    }
    Creative managed = em.find(Creative.class, editing.id());
    if (managed != null) {
      em.remove(managed);
    }
    em.flush();
    faces
        .getExternalContext()
        .getFlash()
        .put("creativeDeleted", "Deleted the creative " + editing.name() + ".");
    return "/app/campaign.xhtml?faces-redirect=true&id=" + campaign.id();
  }

  public Creative getEditing() {
    return editing;
  }

  public long getVersion() {
    return version;
  }

  public void setVersion(long version) {
    this.version = version;
  }

  private static FacesMessage error(String message) {
    return new FacesMessage(FacesMessage.SEVERITY_ERROR, message, null);
  }

  public CreativeKind[] getKinds() {
    return CreativeKind.values();
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public CreativeKind getKind() {
    return kind;
  }

  public void setKind(CreativeKind kind) {
    this.kind = kind;
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

  public String getLandingUrl() {
    return landingUrl;
  }

  public void setLandingUrl(String landingUrl) {
    this.landingUrl = landingUrl;
  }

  public String getHeadline() {
    return headline;
  }

  public void setHeadline(String headline) {
    this.headline = headline;
  }

  public String getBody() {
    return body;
  }

  public void setBody(String body) {
    this.body = body;
  }

  public String getHtml() {
    return html;
  }

  public void setHtml(String html) {
    this.html = html;
  }

  public Part getImage() {
    return image;
  }

  public void setImage(Part image) {
    this.image = image;
  }
}
