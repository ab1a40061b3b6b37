package net.adgrid.inventory.entity;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A publisher's web site. */
@Entity
@Table(name = "site")
@Cacheable
public class Site {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(name = "account_id", nullable = false, updatable = false)
  private Long accountId;

  private String name;
  private String domain;

  @Column(name = "created_at", updatable = false)
  private Instant createdAt;

  @Column(name = "updated_at")
  private Instant updatedAt;

  @Version private long version;

  protected Site() {}

  public Site(Long accountId, String name, String domain) {
    this.accountId = accountId;
    rename(name, domain);
  }

  @PrePersist
  void created() {
    createdAt = Instant.now();
    updatedAt = createdAt;
  }

  @PreUpdate
  void updated() {
    updatedAt = Instant.now();
  }

  public void rename(String name, String domain) {
    this.name = name.trim();
    this.domain = domain.trim().toLowerCase(java.util.Locale.ROOT);
  }

  public Long id() {
    return id;
  }

  public Long accountId() {
    return accountId;
  }

  public String name() {
    return name;
  }

  public String domain() {
    return domain;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public long version() {
    return version;
  }
}
