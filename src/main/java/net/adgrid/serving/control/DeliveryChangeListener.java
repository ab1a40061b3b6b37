package net.adgrid.serving.control;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.persistence.PostPersist;
import jakarta.persistence.PostRemove;
import jakarta.persistence.PostUpdate;
import jakarta.transaction.TransactionSynchronizationRegistry;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * On the entities that decide what serves where (accounts, campaigns, creatives, zones): any change
 * makes every node build its delivery index again once the transaction has committed. A transaction
 * that changes many rows (a CSV import, the demo seed) says so once.
 */
public class DeliveryChangeListener {

  private static final String SAID = "adgrid.delivery-change-said";

  @PostPersist
  @PostUpdate
  @PostRemove
  void changed(Object entity) {
    fire();
  }

  /** For changes made with SQL (campaign-zone links), which no entity callback sees. */
  public static void fire() {
    TransactionSynchronizationRegistry transaction = registry();
    if (transaction != null && transaction.getTransactionKey() != null) {
      if (transaction.getResource(SAID) != null) {
        return;
      }
      transaction.putResource(SAID, Boolean.TRUE);
    }
    CDI.current()
        .getBeanManager()
        .getEvent()
        .select(DeliveryIndex.Changed.class)
        .fire(new DeliveryIndex.Changed());
  }

  private static TransactionSynchronizationRegistry registry() {
    try {
      return (TransactionSynchronizationRegistry)
          new InitialContext().lookup("java:comp/TransactionSynchronizationRegistry");
    } catch (NamingException e) {
      return null; // no transaction manager here: every change is said
    }
  }
}
