package net.adgrid.serving.control;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.persistence.PostPersist;
import jakarta.persistence.PostRemove;
import jakarta.persistence.PostUpdate;

/**
 * On the entities that decide what serves where (accounts, campaigns, creatives, zones): any change
 * makes every node build its delivery index again once the transaction has committed.
 */
public class DeliveryChangeListener {

  @PostPersist
  @PostUpdate
  @PostRemove
  void changed(Object entity) {
    fire();
  }

  /** For changes made with SQL (campaign-zone links), which no entity callback sees. */
  public static void fire() {
    CDI.current()
        .getBeanManager()
        .getEvent()
        .select(DeliveryIndex.Changed.class)
        .fire(new DeliveryIndex.Changed());
  }
}
