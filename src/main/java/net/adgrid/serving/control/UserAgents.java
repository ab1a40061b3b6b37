package net.adgrid.serving.control;

import java.util.Locale;
import net.adgrid.campaigns.entity.Browser;
import net.adgrid.campaigns.entity.Device;

/**
 * The device class and browser family a User-Agent names, as targeting needs them. Order matters:
 * Edge and Opera also say "Chrome", Chrome also says "Safari", tablets may also say "Mobile".
 */
public final class UserAgents {

  private UserAgents() {}

  public static Device device(String userAgent) {
    if (userAgent == null) {
      return Device.DESKTOP;
    }
    String ua = userAgent.toLowerCase(Locale.ROOT);
    if (ua.contains("ipad")
        || ua.contains("tablet")
        || (ua.contains("android") && !ua.contains("mobile"))) {
      return Device.TABLET;
    }
    if (ua.contains("mobi")
        || ua.contains("iphone")
        || ua.contains("ipod")
        || ua.contains("android")) {
      return Device.MOBILE;
    }
    return Device.DESKTOP;
  }

  public static Browser browser(String userAgent) {
    if (userAgent == null) {
      return Browser.OTHER;
    }
    if (userAgent.contains("Edg/")
        || userAgent.contains("EdgA/")
        || userAgent.contains("EdgiOS/")) {
      return Browser.EDGE;
    }
    if (userAgent.contains("OPR/") || userAgent.contains("Opera")) {
      return Browser.OPERA;
    }
    if (userAgent.contains("Firefox/") || userAgent.contains("FxiOS/")) {
      return Browser.FIREFOX;
    }
    if (userAgent.contains("Chrome/")
        || userAgent.contains("CriOS/")
        || userAgent.contains("Chromium/")) {
      return Browser.CHROME;
    }
    if (userAgent.contains("Safari/") && userAgent.contains("Version/")) {
      return Browser.SAFARI;
    }
    return Browser.OTHER;
  }
}
