package net.adgrid.accounts.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LoginPageTest {

  @Test
  void afterSignInOnlyAPathOfThisSiteIsFollowed() {
    assertEquals("/app/campaigns.xhtml", LoginPage.safeNext("/app/campaigns.xhtml"));
    for (String foreign :
        new String[] {
          null,
          "",
          "https://evil.example/",
          "//evil.example/",
          "/\\evil.example",
          "app/",
          "/login.xhtml",
          "/app/\r\nSet-Cookie: x=y",
          "javascript:alert(1)"
        }) {
      assertEquals(LoginPage.HOME, LoginPage.safeNext(foreign), String.valueOf(foreign));
    }
  }
}
