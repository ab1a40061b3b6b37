package net.adgrid.accounts.entity;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.ZoneId;

/** An advertiser, a publisher, or the network's administration. */
@Entity
@jakarta.persistence.EntityListeners(net.adgrid.serving.control.DeliveryChangeListener.class)
@Table(name = "account")
@Cacheable
public class Account {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @NotBlank
  @Size(max = 120)
  private String name;

  @NotNull
  @Enumerated(EnumType.STRING)
  private Role role;

  @NotBlank
  @Column(name = "time_zone")
  private String timeZone = "UTC";

  private boolean disabled;

  @Column(name = "created_at", insertable = false, updatable = false)
  private Instant createdAt;

  @Version private long version;

  protected Account() {}

  public Account(String name, Role role, ZoneId timeZone) {
    this.name = name;
    this.role = role;
    this.timeZone = timeZone.getId();
  }

  public void setDisabled(boolean disabled) {
    this.disabled = disabled;
  }

  public Long id() {
    return id;
  }

  public String name() {
    return name;
  }

  public Role role() {
    return role;
  }

  public ZoneId timeZone() {
    return ZoneId.of(timeZone);
  }

  public boolean disabled() {
    return disabled;
  }
}
