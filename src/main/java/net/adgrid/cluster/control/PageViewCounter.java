package net.adgrid.cluster.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import net.adgrid.cluster.entity.PageViews;

/** Counts page views in PostgreSQL and reads them back through the shared cache. */
@ApplicationScoped
public class PageViewCounter {

  @PersistenceContext EntityManager em;

  /** A figure, and whether this node had it in its shared cache before reading it. */
  public record Reading(String page, long views, boolean fromSharedCache) {}

  /**
   * Counts one view. The row lock serializes concurrent views on every node, so none is lost; the
   * commit updates this node's shared cache and is sent to the other nodes' caches.
   */
  @Transactional
  public long countView(String page) {
    PageViews views = em.find(PageViews.class, page, LockModeType.PESSIMISTIC_WRITE);
    if (views == null) {
      // Counted pages are created by the migrations, never on the fly by concurrent requests.
      throw new IllegalArgumentException("no page view counter for " + page);
    }
    views.countOne();
    return views.views();
  }

  public Reading read(String page) {
    boolean cached = em.getEntityManagerFactory().getCache().contains(PageViews.class, page);
    PageViews views = em.find(PageViews.class, page);
    return new Reading(page, views == null ? 0 : views.views(), cached);
  }
}
