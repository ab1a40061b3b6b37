package net.adgrid.serving.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import net.adgrid.campaigns.entity.CreativeKind;
import net.adgrid.serving.boundary.DecideResource.Decision;

/**
 * What the invocation tags load: the asynchronous JavaScript tag ({@code tag.js}, the same file for
 * every zone and page, cached) and the iframe document ({@code frame?zone=}), which makes the
 * decision on the server and shows it with its impression pixel and viewability report. Both use
 * the decision endpoint's rules and tokens; neither uses a cookie or a session.
 */
@Path("")
@RequestScoped
public class TagResource {

  static final String SCRIPT = load("serving/tag.js");

  @Inject DecideResource decisions;

  @GET
  @Path("tag.js")
  @Produces("text/javascript; charset=UTF-8")
  public Response script() {
    return Response.ok(SCRIPT)
        .header("Cache-Control", "public, max-age=300")
        .header("Access-Control-Allow-Origin", "*")
        .build();
  }

  @GET
  @Path("frame")
  @Produces("text/html; charset=UTF-8")
  public Response frame(
      @QueryParam("zone") String zone,
      @QueryParam("kw") String keywords,
      @QueryParam("vid") String visitorId,
      @HeaderParam("User-Agent") String userAgent,
      @HeaderParam("Accept-Language") String acceptLanguage,
      @HeaderParam("Referer") String referer) {
    Response decided =
        decisions.decide(zone, keywords, null, null, visitorId, userAgent, acceptLanguage, referer);
    String body = decided.getStatus() == 200 ? page((Decision) decided.getEntity()) : page(null);
    return Response.ok(body)
        .header("Cache-Control", "no-store")
        // The frame is meant to be framed, by any page; nothing in it may be framed further.
        .header(
            "Content-Security-Policy",
            "default-src 'none'; img-src * data:; style-src 'unsafe-inline';"
                + " script-src 'unsafe-inline'; connect-src *; frame-src 'self' data:;"
                + " frame-ancestors *")
        .build();
  }

  static String page(Decision decision) {
    StringBuilder html =
        new StringBuilder(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Advertisement</title>"
                + "<style>html,body{margin:0;padding:0;overflow:hidden;background:transparent}"
                + "a{color:#223;text-decoration:none}</style></head><body>");
    if (decision != null) {
      var c = decision.creative();
      String click = escape(decision.clickUrl());
      if (c.kind() == CreativeKind.IMAGE) {
        html.append("<a href=\"")
            .append(click)
            .append("\" target=\"_blank\" rel=\"noopener sponsored\"><img src=\"")
            .append(escape(c.imageUrl()))
            .append("\" width=\"")
            .append(c.width())
            .append("\" height=\"")
            .append(c.height())
            .append("\" alt=\"Advertisement\"></a>");
      } else if (c.kind() == CreativeKind.TEXT) {
        html.append("<a href=\"")
            .append(click)
            .append("\" target=\"_blank\" rel=\"noopener sponsored\" style=\"display:block;")
            .append("box-sizing:border-box;width:")
            .append(c.width())
            .append("px;height:")
            .append(c.height())
            .append("px;padding:12px;border:1px solid #ccd;font:14px/1.4 sans-serif\"><strong>")
            .append(escape(c.headline()))
            .append("</strong><p>")
            .append(escape(c.body()))
            .append("</p></a>");
      } else {
        // HTML creatives run in a sandboxed frame of their own, from a data: document.
        html.append("<iframe sandbox=\"allow-scripts allow-popups allow-popups-to-escape-sandbox\"")
            .append(" title=\"Advertisement\" style=\"border:0\" width=\"")
            .append(c.width())
            .append("\" height=\"")
            .append(c.height())
            .append("\" srcdoc=\"")
            .append(
                escape(
                    c.html() == null ? "" : c.html().replace("%%CLICK_URL%%", decision.clickUrl())))
            .append("\"></iframe>");
      }
      html.append("<img src=\"")
          .append(escape(decision.impressionUrl()))
          .append("\" width=\"1\" height=\"1\" alt=\"\" style=\"position:absolute;left:-9px\">")
          .append("<script>(function(){var u=\"")
          .append(decision.viewableUrl().replaceAll("[^A-Za-z0-9:/._\\-]", ""))
          .append("\";if(!('IntersectionObserver' in window))return;var t=null;")
          .append("var o=new IntersectionObserver(function(e){e.forEach(function(x){")
          .append(
              "if(x.intersectionRatio>=0.5){if(t===null)t=setTimeout(function(){o.disconnect();")
          .append(
              "navigator.sendBeacon?navigator.sendBeacon(u):fetch(u,{method:'POST',mode:'no-cors'});")
          .append("},1000);}else if(t!==null){clearTimeout(t);t=null;}});},{threshold:[0,0.5,1]});")
          .append("o.observe(document.body);})();</script>");
    }
    return html.append("</body></html>").toString();
  }

  static String escape(String text) {
    if (text == null) {
      return "";
    }
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }

  private static String load(String resource) {
    try (InputStream in = TagResource.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the application");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
