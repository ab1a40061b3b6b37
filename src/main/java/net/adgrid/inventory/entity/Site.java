package net.adgrid.inventory.entity;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import net.adgrid.platform.Tracked;

/** A publisher's web site. */
@Entity
@Table(name = "site")
@Cacheable
public class Site extends Tracked {

  @Column(name = "account_id", nullable = false, updatable = false)
  private Long accountId;

  private String name;
  private String domain;

  protected Site() {}

  public Site(Long accountId, String name, String domain) {
    this.accountId = accountId;
    rename(name, domain);
  }

  public void rename(String name, String domain) {
    this.name = name.trim();
    this.domain = domain.trim().toLowerCase(java.util.Locale.ROOT);
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
}
