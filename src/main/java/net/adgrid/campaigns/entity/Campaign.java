package net.adgrid.campaigns.entity;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import net.adgrid.platform.Tracked;

/** An advertiser's campaign: what it buys, when, how much, and how fast. */
@Entity
@jakarta.persistence.EntityListeners(net.adgrid.serving.control.DeliveryChangeListener.class)
@Table(name = "campaign")
@Cacheable
public class Campaign extends Tracked {

  @Column(name = "account_id", nullable = false, updatable = false)
  private Long accountId;

  private String name;

  @Enumerated(EnumType.STRING)
  private CampaignType type;

  private Integer priority;

  @Enumerated(EnumType.STRING)
  private CampaignStatus status = CampaignStatus.DRAFT;

  @Column(name = "starts_at")
  private Instant startsAt;

  @Column(name = "ends_at")
  private Instant endsAt;

  @Column(name = "impression_cap")
  private Long impressionCap;

  @Column(name = "click_cap")
  private Long clickCap;

  @Column(name = "daily_impression_cap")
  private Long dailyImpressionCap;

  @Column(name = "daily_click_cap")
  private Long dailyClickCap;

  @Enumerated(EnumType.STRING)
  private Pricing pricing;

  private BigDecimal rate;
  private BigDecimal budget;

  @Enumerated(EnumType.STRING)
  private Pacing pacing = Pacing.ASAP;

  @Column(name = "frequency_cap")
  private Integer frequencyCap;

  @Column(name = "frequency_hours")
  private Integer frequencyHours;

  private int weight = 1;

  @Column(name = "target_days")
  private String targetDays;

  @Column(name = "target_hours")
  private String targetHours;

  @Column(name = "target_devices")
  private String targetDevices;

  @Column(name = "target_browsers")
  private String targetBrowsers;

  @Column(name = "target_languages")
  private String targetLanguages;

  @Column(name = "target_referrers")
  private String targetReferrers;

  @Column(name = "target_keywords")
  private String targetKeywords;

  protected Campaign() {}

  public Campaign(
      Long accountId,
      String name,
      CampaignType type,
      Integer priority,
      Instant startsAt,
      Pricing pricing,
      BigDecimal rate,
      BigDecimal budget) {
    this.accountId = accountId;
    this.name = name;
    this.type = type;
    this.priority = priority;
    this.startsAt = startsAt;
    this.pricing = pricing;
    this.rate = rate;
    this.budget = budget;
  }

  /** Moves to another status if that is a move a campaign can make; false if not. */
  public boolean changeStatus(CampaignStatus next) {
    if (!status.mayBecome(next)) {
      return false;
    }
    status = next;
    return true;
  }

  public void describe(String name, CampaignType type, Integer priority, int weight) {
    this.name = name;
    this.type = type;
    this.priority = priority;
    this.weight = weight;
  }

  public void schedule(Instant startsAt, Instant endsAt) {
    this.startsAt = startsAt;
    this.endsAt = endsAt;
  }

  public void cap(Long impressions, Long clicks, Long dailyImpressions, Long dailyClicks) {
    this.impressionCap = impressions;
    this.clickCap = clicks;
    this.dailyImpressionCap = dailyImpressions;
    this.dailyClickCap = dailyClicks;
  }

  public void price(Pricing pricing, BigDecimal rate, BigDecimal budget) {
    this.pricing = pricing;
    this.rate = rate;
    this.budget = budget;
  }

  public void setPacing(Pacing pacing) {
    this.pacing = pacing;
  }

  public void limitFrequency(Integer count, Integer hours) {
    this.frequencyCap = count;
    this.frequencyHours = hours;
  }

  /** Restricts whom and when the campaign shows to; {@link Targeting#ANY} lifts every limit. */
  public void target(Targeting targeting) {
    Targeting t = (targeting == null ? Targeting.ANY : targeting).normalized();
    targetDays = Targeting.column(t.days());
    targetHours = Targeting.column(t.hours());
    targetDevices = Targeting.column(t.devices());
    targetBrowsers = Targeting.column(t.browsers());
    targetLanguages = Targeting.column(t.languages());
    targetReferrers = Targeting.column(t.referrerDomains());
    targetKeywords = Targeting.column(t.keywords());
  }

  public Targeting targeting() {
    return new Targeting(
        Targeting.enums(targetDays, java.time.DayOfWeek.class),
        new java.util.TreeSet<>(Targeting.parsed(targetHours, Integer::valueOf)),
        Targeting.enums(targetDevices, Device.class),
        Targeting.enums(targetBrowsers, Browser.class),
        Targeting.parsed(targetLanguages, String::valueOf),
        Targeting.parsed(targetReferrers, String::valueOf),
        Targeting.parsed(targetKeywords, String::valueOf));
  }

  public Long accountId() {
    return accountId;
  }

  public String name() {
    return name;
  }

  public CampaignType type() {
    return type;
  }

  public Integer priority() {
    return priority;
  }

  public CampaignStatus status() {
    return status;
  }

  public Instant startsAt() {
    return startsAt;
  }

  public Instant endsAt() {
    return endsAt;
  }

  public Long impressionCap() {
    return impressionCap;
  }

  public Long clickCap() {
    return clickCap;
  }

  public Long dailyImpressionCap() {
    return dailyImpressionCap;
  }

  public Long dailyClickCap() {
    return dailyClickCap;
  }

  public Pricing pricing() {
    return pricing;
  }

  public BigDecimal rate() {
    return rate;
  }

  public BigDecimal budget() {
    return budget;
  }

  public Pacing pacing() {
    return pacing;
  }

  public Integer frequencyCap() {
    return frequencyCap;
  }

  public Integer frequencyHours() {
    return frequencyHours;
  }

  public int weight() {
    return weight;
  }
}
