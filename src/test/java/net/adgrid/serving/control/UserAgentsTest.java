package net.adgrid.serving.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.adgrid.campaigns.entity.Browser;
import net.adgrid.campaigns.entity.Device;
import org.junit.jupiter.api.Test;

class UserAgentsTest {

  @Test
  void commonBrowsersAndDevices() {
    String chromeWindows =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    String edge = chromeWindows + " Edg/131.0.0.0";
    String iphoneSafari =
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
    String ipad =
        "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
    String androidFirefox = "Mozilla/5.0 (Android 14; Mobile; rv:132.0) Gecko/132.0 Firefox/132.0";
    String androidTablet =
        "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    assertEquals(Browser.CHROME, UserAgents.browser(chromeWindows));
    assertEquals(Device.DESKTOP, UserAgents.device(chromeWindows));
    assertEquals(Browser.EDGE, UserAgents.browser(edge));
    assertEquals(Browser.SAFARI, UserAgents.browser(iphoneSafari));
    assertEquals(Device.MOBILE, UserAgents.device(iphoneSafari));
    assertEquals(Device.TABLET, UserAgents.device(ipad));
    assertEquals(Browser.FIREFOX, UserAgents.browser(androidFirefox));
    assertEquals(Device.MOBILE, UserAgents.device(androidFirefox));
    assertEquals(Device.TABLET, UserAgents.device(androidTablet));
    assertEquals(Browser.OTHER, UserAgents.browser("curl/8.0"));
    assertEquals(Browser.OTHER, UserAgents.browser(null));
  }
}
