package net.adgrid.campaigns.entity;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/**
 * What an ad shows: an image, HTML or text, of a size, leading to a landing page. Any change puts
 * it back in review; only an approved creative serves.
 */
@Entity
@Table(name = "creative")
public class Creative {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

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

  @Column(name = "created_at", updatable = false)
  private Instant createdAt;

  @Column(name = "updated_at")
  private Instant updatedAt;

  @Version private long version;

  protected Creative() {}

  public Creative(Campaign campaign) {
    this.campaign = campaign;
  }

  @PrePersist
  void created() {
    createdAt = Instant.now();
    updatedAt = createdAt;
  }

  @PreUpdate
  void updated() {
    updatedAt = Instant.now();
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

  public void review(Review decision) {
    this.review = decision;
  }

  public Long id() {
    return id;
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

  public Instant createdAt() {
    return createdAt;
  }

  public long version() {
    return version;
  }
}
