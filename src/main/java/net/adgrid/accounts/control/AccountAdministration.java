package net.adgrid.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.adgrid.accounts.entity.Account;
import net.adgrid.accounts.entity.Role;
import net.adgrid.accounts.entity.User;
import net.adgrid.platform.Problem.FieldError;

/**
 * What admins do with accounts (create one with its first user, disable or enable it, give a user a
 * new password) and what every user does with their own password.
 */
@ApplicationScoped
public class AccountAdministration {

  private static final String PASSWORD_ALPHABET =
      "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  @PersistenceContext EntityManager em;

  /** A new account as an admin enters it. */
  public record NewAccount(
      String name, Role role, String timeZone, String email, String displayName, String password) {

    public List<FieldError> problems() {
      List<FieldError> errors = new ArrayList<>();
      if (name == null || name.isBlank() || name.length() > 120) {
        errors.add(new FieldError("name", "An account needs a name of at most 120 characters."));
      }
      if (role == null) {
        errors.add(new FieldError("role", "Choose a role."));
      }
      try {
        ZoneId.of(timeZone == null ? "" : timeZone.trim());
      } catch (DateTimeException e) {
        errors.add(new FieldError("timeZone", "Use a time zone such as Europe/Berlin or UTC."));
      }
      String normalized = User.normalizeEmail(email);
      if (normalized == null || !normalized.matches("[^@\\s]{1,64}@[^@\\s]{1,189}\\.[^@\\s]{2,}")) {
        errors.add(new FieldError("email", "Enter an e-mail address."));
      }
      if (displayName == null || displayName.isBlank() || displayName.length() > 120) {
        errors.add(new FieldError("displayName", "Enter the person's name (at most 120)."));
      }
      String weakness = PasswordHashing.weakness(password);
      if (weakness != null) {
        errors.add(new FieldError("password", weakness));
      }
      return errors;
    }
  }

  public List<Account> accounts() {
    return em.createQuery("SELECT a FROM Account a ORDER BY a.id", Account.class)
        .setMaxResults(1000)
        .getResultList();
  }

  public List<User> users(long accountId) {
    return em.createNamedQuery(User.OF_ACCOUNT, User.class)
        .setParameter("account", accountId)
        .getResultList();
  }

  /** Creates the account and its first user; a problem (e.g. the e-mail is taken) instead. */
  @Transactional
  public List<FieldError> create(NewAccount input) {
    List<FieldError> problems = input.problems();
    if (!problems.isEmpty()) {
      return problems;
    }
    String email = User.normalizeEmail(input.email());
    boolean taken =
        !em.createNamedQuery(User.BY_EMAIL, User.class)
            .setParameter("email", email)
            .getResultList()
            .isEmpty();
    if (taken) {
      return List.of(new FieldError("email", "Someone already signs in with this e-mail address."));
    }
    Account account =
        new Account(input.name().trim(), input.role(), ZoneId.of(input.timeZone().trim()));
    em.persist(account);
    em.persist(
        new User(
            account,
            email,
            input.displayName().trim(),
            PasswordHashing.hash(input.password().toCharArray())));
    return List.of();
  }

  /** Disables or enables an account; an admin never disables their own. */
  @Transactional
  public boolean setDisabled(Caller admin, long accountId, boolean disabled) {
    Account account = em.find(Account.class, accountId);
    if (account == null || (disabled && account.id() == admin.accountId())) {
      return false;
    }
    account.setDisabled(disabled);
    return true;
  }

  /** Gives a user a new random password, returned once for the admin to pass on. */
  @Transactional
  public Optional<String> resetPassword(long userId) {
    User user = em.find(User.class, userId);
    if (user == null) {
      return Optional.empty();
    }
    StringBuilder password = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      password.append(PASSWORD_ALPHABET.charAt(RANDOM.nextInt(PASSWORD_ALPHABET.length())));
    }
    user.changePassword(PasswordHashing.hash(password.toString().toCharArray()));
    return Optional.of(password.toString());
  }

  /** A user changes their own password, knowing the current one. */
  @Transactional
  public List<FieldError> changeOwnPassword(Caller caller, String current, String replacement) {
    User user = caller.userId() == null ? null : em.find(User.class, caller.userId());
    if (user == null
        || current == null
        || !PasswordHashing.verify(current.toCharArray(), user.passwordHash())) {
      return List.of(new FieldError("currentPassword", "This is not your current password."));
    }
    String weakness = PasswordHashing.weakness(replacement);
    if (weakness != null) {
      return List.of(new FieldError("newPassword", weakness));
    }
    user.changePassword(PasswordHashing.hash(replacement.toCharArray()));
    return List.of();
  }
}
