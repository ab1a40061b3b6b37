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
import net.adgrid.accounts.control.Totp;
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
  private boolean keyReadOnly;
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
    createdKey = accounts.createKey(caller(), keyName, keyReadOnly);
    keys = null;
    keyName = null;
    keyReadOnly = false;
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

  // Two-step sign-in (TOTP): set up with a secret kept in the session until a code confirms it.

  static final String SETUP_SECRET = "adgrid.totp-setup";
  static final String SECOND_FACTOR_FORM = "second-factor";

  private String code;

  public boolean isSecondFactorOn() {
    return accounts.hasSecondFactor(caller());
  }

  /** The secret being set up, if the user started and has not confirmed it. */
  public String getSetupSecret() {
    return (String) faces.getExternalContext().getSessionMap().get(SETUP_SECRET);
  }

  /** The secret in groups of four, as people type it into an app. */
  public String getSetupSecretGrouped() {
    String secret = getSetupSecret();
    return secret == null ? null : secret.replaceAll("(.{4})(?!$)", "$1 ");
  }

  public String getSetupUri() {
    String secret = getSetupSecret();
    return secret == null ? null : Totp.uri("adgrid", caller().name(), secret);
  }

  public void startSecondFactor() {
    faces.getExternalContext().getSessionMap().put(SETUP_SECRET, Totp.newSecret());
  }

  public void confirmSecondFactor() {
    String secret = getSetupSecret();
    if (secret != null && accounts.requireSecondFactor(caller(), secret, code)) {
      faces.getExternalContext().getSessionMap().remove(SETUP_SECRET);
      secondFactorMessage(
          FacesMessage.SEVERITY_INFO, "Two-step sign-in is on: from now on you enter a code too.");
    } else {
      secondFactorMessage(
          FacesMessage.SEVERITY_ERROR,
          "That code does not match; enter the code the app shows now.");
    }
    code = null;
  }

  public void dropSecondFactor() {
    if (accounts.dropSecondFactor(caller(), code)) {
      secondFactorMessage(FacesMessage.SEVERITY_INFO, "Two-step sign-in is off.");
    } else {
      secondFactorMessage(FacesMessage.SEVERITY_ERROR, "That code is not right; it stays on.");
    }
    code = null;
  }

  private void secondFactorMessage(FacesMessage.Severity severity, String text) {
    faces.addMessage(SECOND_FACTOR_FORM, new FacesMessage(severity, text, null));
  }

  public String getCode() {
    return code;
  }

  public void setCode(String code) {
    this.code = code;
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

  public boolean isKeyReadOnly() {
    return keyReadOnly;
  }

  public void setKeyReadOnly(boolean keyReadOnly) {
    this.keyReadOnly = keyReadOnly;
  }

  public String getCreatedKey() {
    return createdKey;
  }
}
