package net.adgrid.inventory.control;

import java.util.List;
import net.adgrid.inventory.entity.Zone;

/**
 * The snippets a publisher pastes into a page to show a zone's ads, in three forms:
 *
 * <ul>
 *   <li>asynchronous JavaScript, the best one: it does not hold up the page, reports viewable
 *       impressions, and passes the page's keywords;
 *   <li>an iframe, for pages that allow no script of others: the ad runs in its own document;
 *   <li>an image with a link, for places without script or frames (newsletters). The same random
 *       number in both addresses pairs the click with the image the visitor saw.
 * </ul>
 *
 * All three ask the same decision endpoint. Addresses start with the network's public base URL.
 */
public final class InvocationTags {

  public record Tag(String kind, String label, String code) {}

  private InvocationTags() {}

  public static List<Tag> of(Zone zone, String baseUrl) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    long id = zone.id();
    int w = zone.width();
    int h = zone.height();
    String comment = "<!-- adgrid zone " + id + " (" + w + "x" + h + ") -->\n";
    String javascript =
        comment
            + "<ins class=\"adgrid-zone\" data-zone=\""
            + id
            + "\" data-keywords=\"\" style=\"display:inline-block;width:"
            + w
            + "px;height:"
            + h
            + "px\"></ins>\n<script async src=\""
            + base
            + "/api/v1/tag.js\"></script>";
    String iframe =
        comment
            + "<iframe src=\""
            + base
            + "/api/v1/frame?zone="
            + id
            + "\" width=\""
            + w
            + "\" height=\""
            + h
            + "\" title=\"Advertisement\" loading=\"lazy\" style=\"border:0;overflow:hidden\""
            + " sandbox=\"allow-scripts allow-popups allow-popups-to-escape-sandbox\"></iframe>";
    String image =
        comment
            + "<!-- Replace RANDOM with a new random number on every page view. -->\n"
            + "<a href=\""
            + base
            + "/api/v1/redirect?zone="
            + id
            + "&amp;n=RANDOM\" target=\"_blank\" rel=\"noopener\"><img src=\""
            + base
            + "/api/v1/image?zone="
            + id
            + "&amp;n=RANDOM\" width=\""
            + w
            + "\" height=\""
            + h
            + "\" alt=\"Advertisement\"></a>";
    return List.of(
        new Tag("javascript", "Asynchronous JavaScript (recommended)", javascript),
        new Tag("iframe", "iframe (no script on your page)", iframe),
        new Tag("image", "Image (newsletters, no script or frames)", image));
  }
}
