package net.adgrid.system;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A client that behaves like a browser on the pages, through the balancer: it keeps cookies, sends
 * the Origin header a browser sends with a form, and posts a JSF form with the view state of the
 * page it last read. Redirects are not followed, so tests can see them.
 */
public final class Browser {

  static final Pattern NEW_KEY = Pattern.compile("id=\"new-key\">([^<]+)<");
  static final Pattern VIEW_STATE =
      Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]*)\"");

  private final CookieManager cookies = new CookieManager();

  private final HttpClient http =
      HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5)).build();
  private String page = "";

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(TestEnvironment.balancer().resolve(path))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    page = response.body();
    return response;
  }

  /** Posts the form with this id on the page read last, as its button would. */
  public HttpResponse<String> submit(
      String path, String form, String button, Map<String, String> fields)
      throws IOException, InterruptedException {
    Matcher state = VIEW_STATE.matcher(page);
    assertTrue(state.find(), "the page has a form with view state:\n" + page);
    Map<String, String> body = new LinkedHashMap<>();
    body.put(form, form);
    body.putAll(fields);
    body.put(button, button);
    body.put("jakarta.faces.ViewState", state.group(1).replace("&#58;", ":"));
    return post(path, body, true);
  }

  /**
   * Posts a table row's own form, as its button would: the first form after the cell with this text
   * that holds a hidden field {@code idField} and a button labelled {@code button}.
   */
  public HttpResponse<String> submitRow(
      String path, String rowText, String idField, String button, Map<String, String> more)
      throws IOException, InterruptedException {
    Matcher row =
        Pattern.compile(
                "<td>"
                    + Pattern.quote(rowText)
                    + "</td>.*?<form id=\"([^\"]+)\"(?:(?!</form>).)*?name=\""
                    + Pattern.quote(idField)
                    + "\" value=\"(\\d+)\"(?:(?!</form>).)*?<input[^>]*name=\"([^\"]+)\"[^>]*value=\""
                    + Pattern.quote(button)
                    + "\"",
                Pattern.DOTALL)
            .matcher(page);
    assertTrue(row.find(), "a row " + rowText + " with a " + button + " button:\n" + page);
    Map<String, String> fields = new LinkedHashMap<>(more);
    fields.put(idField, row.group(2));
    return submit(path, row.group(1), row.group(3), fields);
  }

  /** A form post, with or without the Origin header a browser sends. */
  public HttpResponse<String> post(String path, Map<String, String> fields, boolean withOrigin)
      throws IOException, InterruptedException {
    URI balancer = TestEnvironment.balancer();
    return post(
        path,
        fields,
        withOrigin
            ? Map.of("Origin", balancer.getScheme() + "://" + balancer.getRawAuthority())
            : Map.of());
  }

  /** A form post with these headers (a forged Origin or Referer, say). */
  public HttpResponse<String> post(
      String path, Map<String, String> fields, Map<String, String> headers)
      throws IOException, InterruptedException {
    URI balancer = TestEnvironment.balancer();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(balancer.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    fields.entrySet().stream()
                        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                        .collect(Collectors.joining("&"))));
    headers.forEach(request::header);
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    page = response.body();
    return response;
  }

  /** Puts a cookie into this browser for the balancer, as another site or person might. */
  public void plantCookie(String name, String value) {
    java.net.HttpCookie cookie = new java.net.HttpCookie(name, value);
    cookie.setPath("/");
    cookie.setVersion(0);
    cookies.getCookieStore().add(TestEnvironment.balancer(), cookie);
  }

  /** The value of a cookie this browser holds for the balancer, or null. */
  public String cookie(String name) {
    return cookies.getCookieStore().getCookies().stream()
        .filter(c -> c.getName().equals(name))
        .map(java.net.HttpCookie::getValue)
        .findFirst()
        .orElse(null);
  }

  /** Signs in on the login page; returns the response to the form post. */
  public HttpResponse<String> signIn(String email, String password)
      throws IOException, InterruptedException {
    get("/login.xhtml");
    return submit("/login.xhtml", "login", "sign-in", Map.of("email", email, "password", password));
  }

  /** Creates an API key on the account page; the response shows it once. */
  public HttpResponse<String> createKey(String name) throws IOException, InterruptedException {
    get("/app/");
    return submit("/app/index.xhtml", "keys", "create-key", Map.of("key-name", name));
  }

  /** Signs in as this user and makes an API key for their account, as a person would. */
  public static String apiKey(String email, String password)
      throws IOException, InterruptedException {
    Browser browser = new Browser();
    HttpResponse<String> signedIn = browser.signIn(email, password);
    assertTrue(signedIn.statusCode() == 302, "signed in as " + email + ": " + signedIn.body());
    Matcher key = NEW_KEY.matcher(browser.createKey("tests " + email).body());
    assertTrue(key.find(), "a new key is shown");
    return key.group(1);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
