package net.adgrid.campaigns.boundary;

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
import net.adgrid.accounts.control.Caller;
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

  /** The campaign named by the page's id parameter, if the caller may see it. */
  private Campaign campaign() {
    String id = faces.getExternalContext().getRequestParameterMap().get("id");
    Caller caller = currentCaller.require(Role.ADVERTISER, Role.ADMIN);
    Campaign campaign =
        id != null && id.matches("\\d{1,18}") ? em.find(Campaign.class, Long.parseLong(id)) : null;
    return campaign != null && caller.mayActFor(campaign.accountId()) ? campaign : null;
  }

  public List<Creative> getCreatives() {
    Campaign campaign = campaign();
    if (campaign == null) {
      return List.of();
    }
    return em.createQuery(
            "SELECT c FROM Creative c WHERE c.campaign = :campaign ORDER BY c.id", Creative.class)
        .setParameter("campaign", campaign)
        .getResultList();
  }

  /** An image creative as a data URI for its preview (at most 256 KiB, checked on upload). */
  public String imageData(Creative creative) {
    return creative.image() == null
        ? ""
        : "data:"
            + creative.imageType()
            + ";base64,"
            + Base64.getEncoder().encodeToString(creative.image());
  }

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
    }
    CreativeInput input =
        new CreativeInput(
            name, kind, width, height, landingUrl, headline, body, html, imageData, imageType);
    List<FieldError> problems = input.problems();
    if (!problems.isEmpty()) {
      problems.forEach(p -> faces.addMessage(FORM, error(p.field() + ": " + p.message())));
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
