package net.adgrid.campaigns.control;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import net.adgrid.campaigns.entity.Creative;
import net.adgrid.campaigns.entity.CreativeKind;
import net.adgrid.platform.Input;
import net.adgrid.platform.Problem.FieldError;

/**
 * A creative as a client sends it. An image comes base64-encoded with its media type; it must
 * really be an image of that type and of the creative's size, at most 256 KiB.
 */
public record CreativeInput(
    String name,
    CreativeKind kind,
    Integer width,
    Integer height,
    String landingUrl,
    String headline,
    String body,
    String html,
    String image,
    String imageType)
    implements Input {

  public static final int MAX_IMAGE_BYTES = 256 * 1024;
  public static final int MAX_HTML_BYTES = 65_536;
  static final Map<String, String> IMAGE_FORMATS =
      Map.of("image/png", "png", "image/jpeg", "jpeg", "image/gif", "gif");
  private static final Set<String> LANDING_SCHEMES = Set.of("http", "https");

  @Override
  public List<FieldError> problems() {
    List<FieldError> errors = new ArrayList<>();
    if (name == null || name.isBlank() || name.length() > 120) {
      errors.add(new FieldError("name", "is required, at most 120 characters"));
    }
    if (kind == null) {
      errors.add(new FieldError("kind", "is required: IMAGE, HTML or TEXT"));
    }
    if (width == null || width < 1 || width > 4000) {
      errors.add(new FieldError("width", "is required, from 1 to 4000 pixels"));
    }
    if (height == null || height < 1 || height > 4000) {
      errors.add(new FieldError("height", "is required, from 1 to 4000 pixels"));
    }
    if (!isLandingUrl(landingUrl)) {
      errors.add(new FieldError("landingUrl", "must be an absolute http or https address"));
    }
    if (kind == CreativeKind.TEXT) {
      if (headline == null || headline.isBlank() || headline.length() > 90) {
        errors.add(new FieldError("headline", "a text creative needs a headline of at most 90"));
      }
      if (body != null && body.length() > 300) {
        errors.add(new FieldError("body", "has at most 300 characters"));
      }
    }
    if (kind == CreativeKind.HTML
        && (html == null
            || html.isBlank()
            || html.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_HTML_BYTES)) {
      errors.add(new FieldError("html", "an HTML creative needs HTML of at most 64 KiB"));
    }
    if (kind == CreativeKind.IMAGE
        && errors.stream()
            .noneMatch(e -> e.field().equals("width") || e.field().equals("height"))) {
      imageProblem().ifPresent(errors::add);
    }
    return errors;
  }

  static boolean isLandingUrl(String url) {
    if (url == null || url.length() > 2048) {
      return false;
    }
    try {
      URI uri = new URI(url.trim());
      return uri.isAbsolute()
          && LANDING_SCHEMES.contains(uri.getScheme().toLowerCase(java.util.Locale.ROOT))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private java.util.Optional<FieldError> imageProblem() {
    String format = imageType == null ? null : IMAGE_FORMATS.get(imageType);
    if (format == null) {
      return java.util.Optional.of(
          new FieldError("imageType", "must be image/png, image/jpeg or image/gif"));
    }
    byte[] bytes = decodedImage();
    if (bytes == null || bytes.length == 0) {
      return java.util.Optional.of(new FieldError("image", "must be the image, base64-encoded"));
    }
    if (bytes.length > MAX_IMAGE_BYTES) {
      return java.util.Optional.of(new FieldError("image", "may be at most 256 KiB"));
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return java.util.Optional.of(new FieldError("image", "is not an image"));
      }
      ImageReader reader = readers.next();
      try {
        if (!reader.getFormatName().equalsIgnoreCase(format)) {
          return java.util.Optional.of(new FieldError("image", "is not of type " + imageType));
        }
        reader.setInput(in, true, true);
        if (reader.getWidth(0) != width || reader.getHeight(0) != height) {
          return java.util.Optional.of(
              new FieldError(
                  "image",
                  "is "
                      + reader.getWidth(0)
                      + "x"
                      + reader.getHeight(0)
                      + ", not "
                      + width
                      + "x"
                      + height));
        }
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.of(new FieldError("image", "could not be read as an image"));
    }
    return java.util.Optional.empty();
  }

  private byte[] decodedImage() {
    if (image == null) {
      return null;
    }
    try {
      return Base64.getMimeDecoder().decode(image);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Writes this input onto a creative (which then needs a new review). */
  public void applyTo(Creative creative) {
    creative.show(
        name, kind, width, height, landingUrl, headline, body, html, decodedImage(), imageType);
  }
}
