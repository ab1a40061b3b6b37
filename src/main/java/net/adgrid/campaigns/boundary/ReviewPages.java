package net.adgrid.campaigns.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import net.adgrid.accounts.boundary.PageAccess;
import net.adgrid.accounts.control.CurrentCaller;
import net.adgrid.accounts.entity.Account;
import net.adgrid.accounts.entity.Role;
import net.adgrid.campaigns.entity.Creative;
import net.adgrid.campaigns.entity.Review;

/**
 * The admins' review queue: creatives waiting for a decision, oldest first, each with its preview,
 * campaign and account. A decision is on the version the admin saw: a creative changed since then
 * is not approved by it.
 */
@Named
@RequestScoped
public class ReviewPages {

  /** Previews are inlined (up to 256 KiB each): a page shows this many at a time. */
  static final int SHOWN = 25;

  @Inject CurrentCaller currentCaller;
  @Inject FacesContext faces;
  @PersistenceContext EntityManager em;

  private List<Creative> pending;

  public boolean requireAdmin() throws IOException {
    return PageAccess.allow(faces, currentCaller, "Reviewing creatives is for admins.", Role.ADMIN);
  }

  public List<Creative> getPending() {
    currentCaller.require(Role.ADMIN);
    if (pending == null) {
      pending =
          em.createQuery(
                  "SELECT c FROM Creative c WHERE c.review = :pending ORDER BY c.updatedAt, c.id",
                  Creative.class)
              .setParameter("pending", Review.PENDING)
              .setMaxResults(SHOWN)
              .getResultList();
    }
    return pending;
  }

  public int getShown() {
    return SHOWN;
  }

  public long getPendingCount() {
    currentCaller.require(Role.ADMIN);
    return em.createQuery("SELECT COUNT(c) FROM Creative c WHERE c.review = :pending", Long.class)
        .setParameter("pending", Review.PENDING)
        .getSingleResult();
  }

  public String accountName(Creative creative) {
    Account account = em.find(Account.class, creative.campaign().accountId());
    return account == null ? "" : account.name();
  }

  @Transactional
  public void approve() {
    decide(Review.APPROVED);
  }

  @Transactional
  public void reject() {
    decide(Review.REJECTED);
  }

  private void decide(Review decision) {
    currentCaller.require(Role.ADMIN);
    // The pressed button's value: "<creative id>:<version seen>".
    Map<String, String> parameters = faces.getExternalContext().getRequestParameterMap();
    String pressed =
        parameters.get(decision == Review.APPROVED ? "decide:approve" : "decide:reject");
    if (pressed == null || !pressed.matches("\\d{1,18}:\\d{1,18}")) {
      message(FacesMessage.SEVERITY_ERROR, "Pick a creative.");
      return;
    }
    String id = pressed.substring(0, pressed.indexOf(':'));
    String version = pressed.substring(pressed.indexOf(':') + 1);
    Creative creative = em.find(Creative.class, Long.parseLong(id));
    if (creative == null) {
      message(FacesMessage.SEVERITY_ERROR, "That creative no longer exists.");
    } else if (creative.version() != Long.parseLong(version)) {
      message(
          FacesMessage.SEVERITY_ERROR,
          "The advertiser changed “"
              + creative.name()
              + "” since this page was shown; look again.");
    } else {
      creative.review(decision);
      em.flush();
      pending = null;
      message(
          FacesMessage.SEVERITY_INFO,
          (decision == Review.APPROVED ? "Approved “" : "Rejected “") + creative.name() + "”.");
    }
  }

  private void message(FacesMessage.Severity severity, String text) {
    faces.addMessage(null, new FacesMessage(severity, text, null));
  }
}
