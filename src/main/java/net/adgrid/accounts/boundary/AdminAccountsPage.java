package net.adgrid.accounts.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.util.List;
import net.adgrid.accounts.control.AccountAdministration;
import net.adgrid.accounts.control.AccountAdministration.NewAccount;
import net.adgrid.accounts.control.Caller;
import net.adgrid.accounts.control.CurrentCaller;
import net.adgrid.accounts.entity.Account;
import net.adgrid.accounts.entity.Role;
import net.adgrid.accounts.entity.User;
import net.adgrid.platform.Problem.FieldError;

/** The admins' accounts page: every account and its users, new accounts, disabling, resets. */
@Named
@RequestScoped
public class AdminAccountsPage {

  @Inject CurrentCaller currentCaller;
  @Inject AccountAdministration administration;
  @Inject FacesContext faces;

  private String name;
  private Role role = Role.ADVERTISER;
  private String timeZone = "UTC";
  private String email;
  private String displayName;
  private String password;
  private String newPassword;
  private List<Account> accounts;

  /** Only admins: anyone else gets 403, not the page. */
  public boolean requireAdmin() throws IOException {
    return PageAccess.allow(faces, currentCaller, "Accounts are for admins.", Role.ADMIN);
  }

  private Caller admin() {
    return currentCaller.require(Role.ADMIN);
  }

  public List<Account> getAccounts() {
    admin();
    if (accounts == null) {
      accounts = administration.accounts();
    }
    return accounts;
  }

  public List<User> users(Account account) {
    return administration.users(account.id());
  }

  public void create() {
    admin();
    List<FieldError> problems =
        administration.create(new NewAccount(name, role, timeZone, email, displayName, password));
    if (problems.isEmpty()) {
      info("Created the account “" + name.trim() + "”; " + email.trim() + " can sign in now.");
      name = email = displayName = password = null;
      accounts = null;
    } else {
      problems.forEach(p -> faces.addMessage("new-account:" + p.field(), error(p.message())));
    }
  }

  /** Disables or enables the account whose id the row's form sent. */
  public void toggle() {
    Caller admin = admin();
    long id = idParameter("account");
    boolean disable = "true".equals(param("disable"));
    if (administration.setDisabled(admin, id, disable)) {
      info(
          disable
              ? "The account is disabled: its users and keys stop working at once."
              : "The account is enabled.");
    } else {
      faces.addMessage(
          null, error("That account cannot be " + (disable ? "disabled" : "enabled") + "."));
    }
    accounts = null;
  }

  /** Gives the user whose id the row's form sent a new password, shown once. */
  public void resetPassword() {
    admin();
    administration
        .resetPassword(idParameter("user"))
        .ifPresentOrElse(
            p -> newPassword = p, () -> faces.addMessage(null, error("There is no such user.")));
  }

  private long idParameter(String parameter) {
    String value = param(parameter);
    return value != null && value.matches("\\d{1,18}") ? Long.parseLong(value) : -1;
  }

  private String param(String parameter) {
    return faces.getExternalContext().getRequestParameterMap().get(parameter);
  }

  private void info(String message) {
    faces.addMessage(null, new FacesMessage(message));
  }

  private static FacesMessage error(String message) {
    return new FacesMessage(FacesMessage.SEVERITY_ERROR, message, null);
  }

  public Role[] getRoles() {
    return Role.values();
  }

  public String getNewPassword() {
    return newPassword;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Role getRole() {
    return role;
  }

  public void setRole(Role role) {
    this.role = role;
  }

  public String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }

  public String getEmail() {
    return email;
  }

  public void setEmail(String email) {
    this.email = email;
  }

  public String getDisplayName() {
    return displayName;
  }

  public void setDisplayName(String displayName) {
    this.displayName = displayName;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }
}
