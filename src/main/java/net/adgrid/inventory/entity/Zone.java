package net.adgrid.inventory.entity;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.util.Set;
import net.adgrid.campaigns.entity.CreativeKind;
import net.adgrid.platform.Tracked;

/** A place on a site where an ad is shown: a size, and the kinds of creative it takes. */
@Entity
@jakarta.persistence.EntityListeners(net.adgrid.serving.control.DeliveryChangeListener.class)
@Table(name = "zone")
@Cacheable
public class Zone extends Tracked {

  @ManyToOne(fetch = FetchType.EAGER, optional = false)
  @JoinColumn(name = "site_id", updatable = false)
  private Site site;

  private String name;
  private int width;
  private int height;

  @Column(name = "allowed_kinds")
  private String allowedKinds;

  protected Zone() {}

  public Zone(Site site, String name, int width, int height, Set<CreativeKind> kinds) {
    this.site = site;
    describe(name, width, height, kinds);
  }

  public void describe(String name, int width, int height, Set<CreativeKind> kinds) {
    this.name = name.trim();
    this.width = width;
    this.height = height;
    this.allowedKinds = CreativeKind.join(kinds);
  }

  /** Whether a creative of this kind and size can be shown here. */
  public boolean fits(CreativeKind kind, int creativeWidth, int creativeHeight) {
    return allowedKinds().contains(kind) && creativeWidth == width && creativeHeight == height;
  }

  public Site site() {
    return site;
  }

  public String name() {
    return name;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public Set<CreativeKind> allowedKinds() {
    return CreativeKind.split(allowedKinds);
  }
}
