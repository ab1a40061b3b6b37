package net.adgrid.campaigns.entity;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import net.adgrid.platform.Tracked;

/**
 * What an ad shows: an image, HTML or text, of a size, leading to a landing page. Any change puts
 * it back in review; only an approved creative serves.
 */
@Entity
@jakarta.persistence.EntityListeners(net.adgrid.serving.control.DeliveryChangeListener.class)
@Table(name = "creative")
public class Creative extends Tracked {

  @ManyToOne(fetch = FetchType.EAGER, optional = false)
  @JoinColumn(name = "campaign_id", updatable = false)
  private Campaign campaign;

  private String name;

  @Enumerated(EnumType.STRING)
  private CreativeKind kind;

  private int width;
  private int height;

  @Column(name = "landing_url")
  private String landingUrl;

  private String headline;
  private String body;
  private String html;

  @Basic(fetch = FetchType.LAZY)
  private byte[] image;

  @Column(name = "image_type")
  private String imageType;

  @Enumerated(EnumType.STRING)
  private Review review = Review.PENDING;

  protected Creative() {}

  public Creative(Campaign campaign) {
    this.campaign = campaign;
  }

  /** Replaces what the creative shows; it needs a new review. */
  public void show(
      String name,
      CreativeKind kind,
      int width,
      int height,
      String landingUrl,
      String headline,
      String body,
      String html,
      byte[] image,
      String imageType) {
    // The image is loaded lazily; EclipseLink loads it (and reloads every other field from the
    // row) on the first touch. Touch it first, or that reload undoes the changes below.
    loadImage();
    this.name = name.trim();
    this.kind = kind;
    this.width = width;
    this.height = height;
    this.landingUrl = landingUrl.trim();
    this.headline = kind == CreativeKind.TEXT ? headline : null;
    this.body = kind == CreativeKind.TEXT ? body : null;
    this.html = kind == CreativeKind.HTML ? html : null;
    this.image = kind == CreativeKind.IMAGE ? image : null;
    this.imageType = kind == CreativeKind.IMAGE ? imageType : null;
    this.review = Review.PENDING;
  }

  private void loadImage() {
    if (image != null) {
      image.hashCode();
    }
  }

  public void review(Review decision) {
    this.review = decision;
  }

  public Campaign campaign() {
    return campaign;
  }

  public String name() {
    return name;
  }

  public CreativeKind kind() {
    return kind;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public String landingUrl() {
    return landingUrl;
  }

  public String headline() {
    return headline;
  }

  public String body() {
    return body;
  }

  public String html() {
    return html;
  }

  public byte[] image() {
    return image;
  }

  public String imageType() {
    return imageType;
  }

  public Review review() {
    return review;
  }
}
