package net.adgrid.cluster.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PageViewsTest {

  @Test
  void countsOneViewAtATime() {
    PageViews views = new PageViews("home", 41);
    views.countOne();
    assertEquals(42, views.views());
    assertEquals("home", views.page());
  }

  @Test
  void aFullCounterRefusesInsteadOfWrappingAround() {
    PageViews views = new PageViews("home", Long.MAX_VALUE);
    assertThrows(IllegalStateException.class, views::countOne);
    assertEquals(Long.MAX_VALUE, views.views());
  }
}
