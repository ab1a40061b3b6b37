package net.adgrid.campaigns.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import net.adgrid.campaigns.entity.CreativeKind;
import net.adgrid.platform.Problem.FieldError;
import org.junit.jupiter.api.Test;

class CreativeInputTest {

  static String image(String format, int width, int height) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), format, out);
    return Base64.getEncoder().encodeToString(out.toByteArray());
  }

  private static CreativeInput imageCreative(String data, String type, int width, int height) {
    return new CreativeInput(
        "Banner",
        CreativeKind.IMAGE,
        width,
        height,
        "https://shop.example/autumn",
        null,
        null,
        null,
        data,
        type);
  }

  private static List<String> fields(CreativeInput input) {
    return input.problems().stream().map(FieldError::field).toList();
  }

  @Test
  void aRealImageOfTheRightTypeAndSizeIsAccepted() throws Exception {
    assertEquals(
        List.of(), imageCreative(image("png", 300, 250), "image/png", 300, 250).problems());
    assertEquals(List.of(), imageCreative(image("gif", 728, 90), "image/gif", 728, 90).problems());
  }

  @Test
  void anImageThatIsNotWhatItClaimsIsRefused() throws Exception {
    assertEquals(
        List.of("image"), fields(imageCreative(image("png", 300, 250), "image/png", 728, 90)));
    assertEquals(
        List.of("image"), fields(imageCreative(image("png", 300, 250), "image/jpeg", 300, 250)));
    String html = Base64.getEncoder().encodeToString("<script>alert(1)</script>".getBytes());
    assertEquals(List.of("image"), fields(imageCreative(html, "image/png", 300, 250)));
    assertEquals(List.of("image"), fields(imageCreative("%%% not base64", "image/png", 300, 250)));
    assertEquals(
        List.of("imageType"), fields(imageCreative(image("png", 1, 1), "image/svg+xml", 1, 1)));
  }

  @Test
  void anImageOverTheLimitIsRefused() {
    byte[] big = new byte[CreativeInput.MAX_IMAGE_BYTES + 1];
    String data = Base64.getEncoder().encodeToString(big);
    assertEquals(List.of("image"), fields(imageCreative(data, "image/png", 300, 250)));
  }

  @Test
  void landingPagesAreWebAddresses() {
    assertTrue(CreativeInput.isLandingUrl("https://shop.example/a?b=c"));
    assertTrue(CreativeInput.isLandingUrl("HTTP://shop.example"));
    for (String bad :
        new String[] {
          null,
          "",
          "javascript:alert(1)",
          "/relative",
          "ftp://x.example/",
          "https://",
          "data:text/html,x"
        }) {
      assertFalse(CreativeInput.isLandingUrl(bad), String.valueOf(bad));
    }
  }

  @Test
  void eachKindNeedsItsContent() {
    CreativeInput text =
        new CreativeInput(
            "T", CreativeKind.TEXT, 300, 100, "https://x.example", " ", null, null, null, null);
    assertEquals(List.of("headline"), fields(text));
    CreativeInput html =
        new CreativeInput(
            "H", CreativeKind.HTML, 300, 250, "https://x.example", null, null, null, null, null);
    assertEquals(List.of("html"), fields(html));
  }
}
