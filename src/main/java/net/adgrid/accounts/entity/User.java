package net.adgrid.accounts.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Locale;

/** A person who signs in to an account with an e-mail address and a password. */
@Entity
@Table(name = "app_user")
@NamedQuery(
    name = User.OF_ACCOUNT,
    query = "SELECT u FROM User u WHERE u.account.id = :account ORDER BY u.id")
@NamedQuery(
    name = User.BY_EMAIL,
    query = "SELECT u FROM User u JOIN FETCH u.account WHERE LOWER(u.email) = :email")
public class User {

  public static final String BY_EMAIL = "User.byEmail";
  public static final String OF_ACCOUNT = "User.ofAccount";

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @NotNull
  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "account_id")
  private Account account;

  @NotBlank
  @Email
  @Size(max = 254)
  private String email;

  @NotBlank
  @Size(max = 120)
  @Column(name = "display_name")
  private String displayName;

  @NotBlank
  @Column(name = "password_hash")
  private String passwordHash;

  private boolean disabled;

  @Column(name = "last_login_at")
  private Instant lastLoginAt;

  @Column(name = "totp_secret")
  private String totpSecret;

  @Column(name = "totp_last_step")
  private long totpLastStep;

  @Column(name = "totp_failures")
  private int totpFailures;

  @Column(name = "totp_locked_until")
  private Instant totpLockedUntil;

  @Version private long version;

  protected User() {}

  public User(Account account, String email, String displayName, String passwordHash) {
    this.account = account;
    this.email = normalizeEmail(email);
    this.displayName = displayName;
    this.passwordHash = passwordHash;
  }

  public static String normalizeEmail(String email) {
    return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
  }

  public void changePassword(String newHash) {
    this.passwordHash = newHash;
  }

  public Long id() {
    return id;
  }

  public Account account() {
    return account;
  }

  public String email() {
    return email;
  }

  public String displayName() {
    return displayName;
  }

  public String passwordHash() {
    return passwordHash;
  }

  /** Turns on the second factor with a secret the user's app holds (step: its first code's). */
  public void requireTotp(String secret, long step) {
    this.totpSecret = secret;
    this.totpLastStep = step;
  }

  public void dropTotp() {
    this.totpSecret = null;
  }

  /** Remembers the step of a code just used: no code of it or before works again. */
  public void usedTotpStep(long step) {
    this.totpLastStep = step;
    this.totpFailures = 0;
    this.totpLockedUntil = null;
  }

  /** Whether codes are refused for now, after too many wrong ones in a row. */
  public boolean totpLocked(Instant now) {
    return totpLockedUntil != null && now.isBefore(totpLockedUntil);
  }

  /** Counts a wrong code; the tenth in a row locks codes out for a quarter of an hour. */
  public void wrongTotp(Instant now) {
    totpFailures++;
    if (totpFailures >= 10) {
      totpLockedUntil = now.plus(java.time.Duration.ofMinutes(15));
      totpFailures = 0;
    }
  }

  public String totpSecret() {
    return totpSecret;
  }

  public long totpLastStep() {
    return totpLastStep;
  }

  public boolean hasTotp() {
    return totpSecret != null;
  }

  public boolean mayUse() {
    return !disabled && !account.disabled();
  }
}
