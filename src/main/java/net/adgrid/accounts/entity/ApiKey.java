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
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * A key an integrator sends as {@code Authorization: Bearer <key>}. Acts for one account. Only the
 * hash of its secret is stored: the key itself is shown once, when it is created.
 */
@Entity
@Table(name = "api_key")
@NamedQuery(
    name = ApiKey.BY_PREFIX,
    query = "SELECT k FROM ApiKey k JOIN FETCH k.account WHERE k.prefix = :prefix")
@NamedQuery(
    name = ApiKey.OF_ACCOUNT,
    query = "SELECT k FROM ApiKey k WHERE k.account.id = :account ORDER BY k.id DESC")
public class ApiKey {

  public static final String BY_PREFIX = "ApiKey.byPrefix";
  public static final String OF_ACCOUNT = "ApiKey.ofAccount";
  public static final String READ = "READ";
  public static final String WRITE = "WRITE";

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "account_id")
  private Account account;

  @NotBlank
  @Size(max = 80)
  private String name;

  private String prefix;

  @Column(name = "secret_hash")
  private String secretHash;

  @Column(name = "created_by")
  private Long createdBy;

  @Column(name = "created_at")
  private Instant createdAt;

  @Column(name = "revoked_at")
  private Instant revokedAt;

  /** READ (GET and HEAD only) or WRITE. */
  private String scope = WRITE;

  @Version private long version;

  protected ApiKey() {}

  public ApiKey(
      Account account,
      String name,
      String prefix,
      String secretHash,
      Long createdBy,
      Instant at,
      boolean readOnly) {
    this.account = account;
    this.scope = readOnly ? READ : WRITE;
    this.name = name;
    this.prefix = prefix;
    this.secretHash = secretHash;
    this.createdBy = createdBy;
    this.createdAt = at;
  }

  public void revoke(Instant at) {
    if (revokedAt == null) {
      revokedAt = at;
    }
  }

  public boolean active() {
    return revokedAt == null;
  }

  /** Whether the key may only read (GET and HEAD). */
  public boolean readOnly() {
    return READ.equals(scope);
  }

  public Long id() {
    return id;
  }

  public Account account() {
    return account;
  }

  public String name() {
    return name;
  }

  public String prefix() {
    return prefix;
  }

  public String secretHash() {
    return secretHash;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant revokedAt() {
    return revokedAt;
  }
}
