package net.adgrid.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class NodeIdentityTest {

  @Test
  void nodeNameComesFromConfiguration() {
    Properties build = new Properties();
    build.setProperty("version", "1.2.3");
    NodeIdentity node = new NodeIdentity(" n2 ", build);
    assertEquals("n2", node.name());
    assertEquals("1.2.3", node.version());
  }

  @Test
  void aNodeWithoutAConfiguredNameIsStandalone() {
    assertEquals(NodeIdentity.STANDALONE, NodeIdentity.resolveName(null));
    assertEquals(NodeIdentity.STANDALONE, NodeIdentity.resolveName("  "));
  }

  @Test
  void aNameThatIsUnsafeInAHeaderOrRouteIsRefused() {
    for (String bad : new String[] {"n1\r\nX-Evil: 1", "n 1", "n1;route", "-n1", "x".repeat(33)}) {
      assertThrows(IllegalArgumentException.class, () -> NodeIdentity.resolveName(bad), bad);
    }
  }

  @Test
  void missingBuildInformationSaysUnknown() {
    NodeIdentity node = new NodeIdentity("n1", new Properties());
    assertEquals("unknown", node.version());
    assertEquals("unknown", node.buildTime());
  }
}
