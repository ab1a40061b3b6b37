package net.adgrid.cluster.entity;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * How often a page was viewed, counted across the whole cluster. Kept in the JPA shared cache,
 * which Hazelcast cache coordination keeps coherent between nodes: a node that did not count a view
 * still reads the new figure from its own cache, without a query.
 */
@Entity
@Table(name = "page_views")
@Cacheable
public class PageViews {

  public static final String HOME = "home";

  @Id
  @Column(name = "page")
  private String page;

  @Column(name = "views", nullable = false)
  private long views;

  @Version
  @Column(name = "version", nullable = false)
  private long version;

  protected PageViews() {}

  PageViews(String page, long views) {
    this.page = page;
    this.views = views;
  }

  public void countOne() {
    if (views == Long.MAX_VALUE) {
      throw new IllegalStateException("page view counter for " + page + " is full");
    }
    views++;
  }

  public String page() {
    return page;
  }

  public long views() {
    return views;
  }
}
