package net.adgrid.campaigns.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.Base64;
import net.adgrid.campaigns.entity.Creative;

/** What the pages need to preview a creative before it may be served publicly. */
@Named
@ApplicationScoped
public class CreativePreviews {

  /** An image creative as a data URI (at most 256 KiB, checked on upload). */
  public String imageData(Creative creative) {
    return creative.image() == null
        ? ""
        : "data:"
            + creative.imageType()
            + ";base64,"
            + Base64.getEncoder().encodeToString(creative.image());
  }
}
