package net.adgrid.accounts.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import net.adgrid.accounts.control.Accounts;
import net.adgrid.accounts.control.Caller;
import net.adgrid.accounts.control.CurrentCaller;
import net.adgrid.accounts.entity.Account;
import net.adgrid.accounts.entity.ApiKey;

/** The signed-in user's account: who they are, and the account's API keys. */
@Named
@RequestScoped
public class AccountPage {

  @Inject CurrentCaller currentCaller;
  @Inject Accounts accounts;
  @Inject net.adgrid.accounts.control.AccountAdministration administration;
  @Inject FacesContext faces;
  @PersistenceContext EntityManager em;

  @NotBlank(message = "Give the key a name, e.g. the tool that will use it.")
  @Size(max = 80, message = "At most 80 characters.")
  private String keyName;

  private String currentPassword;
  private String newPassword;
  private String createdKey;
  private List<ApiKey> keys;

  private Caller caller() {
    return currentCaller.get().orElseThrow();
  }

  public Account getAccount() {
    return em.find(Account.class, caller().accountId());
  }

  public List<ApiKey> getKeys() {
    if (keys == null) {
      keys = accounts.keys(caller());
    }
    return keys;
  }

  public void createKey() {
    createdKey = accounts.createKey(caller(), keyName);
    keys = null;
    keyName = null;
  }

  /** Revokes the key whose id the row's form sent (an id, not a row position). */
  public void revokeKey() {
    String keyId = faces.getExternalContext().getRequestParameterMap().get("key");
    if (keyId != null
        && keyId.matches("\\d{1,18}")
        && accounts.revokeKey(caller(), Long.parseLong(keyId))) {
      faces.addMessage(null, new FacesMessage("The key was revoked. It no longer works."));
    } else {
      faces.addMessage(
          null, new FacesMessage(FacesMessage.SEVERITY_ERROR, "There is no such key.", null));
    }
    keys = null;
  }

  public void changePassword() {
    List<net.adgrid.platform.Problem.FieldError> problems =
        administration.changeOwnPassword(caller(), currentPassword, newPassword);
    if (problems.isEmpty()) {
      faces.addMessage(null, new FacesMessage("Your password is changed."));
    } else {
      problems.forEach(
          p ->
              faces.addMessage(
                  "password:" + p.field(),
                  new FacesMessage(FacesMessage.SEVERITY_ERROR, p.message(), null)));
    }
    currentPassword = null;
    newPassword = null;
  }

  public String getCurrentPassword() {
    return currentPassword;
  }

  public void setCurrentPassword(String currentPassword) {
    this.currentPassword = currentPassword;
  }

  public String getNewPassword() {
    return newPassword;
  }

  public void setNewPassword(String newPassword) {
    this.newPassword = newPassword;
  }

  public String getKeyName() {
    return keyName;
  }

  public void setKeyName(String keyName) {
    this.keyName = keyName;
  }

  public String getCreatedKey() {
    return createdKey;
  }
}
