package net.adgrid.campaigns.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.adgrid.accounts.boundary.PageAccess;
import net.adgrid.accounts.control.Caller;
import net.adgrid.accounts.control.CurrentCaller;
import net.adgrid.accounts.entity.Account;
import net.adgrid.accounts.entity.Role;
import net.adgrid.campaigns.control.CampaignInput;
import net.adgrid.campaigns.entity.Browser;
import net.adgrid.campaigns.entity.Campaign;
import net.adgrid.campaigns.entity.CampaignStatus;
import net.adgrid.campaigns.entity.CampaignType;
import net.adgrid.campaigns.entity.Device;
import net.adgrid.campaigns.entity.Pacing;
import net.adgrid.campaigns.entity.Pricing;
import net.adgrid.campaigns.entity.Targeting;
import net.adgrid.platform.Problem.FieldError;

/**
 * The advertiser's campaign pages: the list with status, budget and caps at a glance, and the form
 * that creates or edits one and pauses, resumes or finishes it. The same rules as the API apply
 * ({@link CampaignInput}); times are entered and shown in the account's time zone.
 */
@Named
@RequestScoped
public class CampaignPages {

  static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");
  static final DateTimeFormatter DISPLAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  @Inject CurrentCaller currentCaller;
  @Inject FacesContext faces;
  @PersistenceContext EntityManager em;

  private Long id;
  private boolean requestedId;
  private String title;
  private long version;
  private String name;
  private CampaignType type = CampaignType.CONTRACT;
  private Integer priority = 5;
  private String startsAt;
  private String endsAt;
  private Long impressionCap;
  private Long clickCap;
  private Long dailyImpressionCap;
  private Long dailyClickCap;
  private Pricing pricing = Pricing.CPM;
  private BigDecimal rate;
  private BigDecimal budget;
  private Pacing pacing = Pacing.ASAP;
  private Integer frequencyCap;
  private Integer frequencyHours;
  private Integer weight = 1;
  private CampaignStatus status = CampaignStatus.DRAFT;
  private List<String> days = new ArrayList<>();
  private String hours;
  private List<String> devices = new ArrayList<>();
  private List<String> browsers = new ArrayList<>();
  private String languages;
  private String referrers;
  private String keywords;
  private List<Campaign> campaigns;

  private Caller caller() {
    return currentCaller.require(Role.ADVERTISER, Role.ADMIN);
  }

  public ZoneId getZone() {
    return em.find(Account.class, caller().accountId()).timeZone();
  }

  public List<Campaign> getCampaigns() {
    if (campaigns == null) {
      Caller caller = caller();
      campaigns =
          caller.is(Role.ADMIN)
              ? em.createQuery("SELECT c FROM Campaign c ORDER BY c.id DESC", Campaign.class)
                  .setMaxResults(500)
                  .getResultList()
              : em.createQuery(
                      "SELECT c FROM Campaign c WHERE c.accountId = :account ORDER BY c.id DESC",
                      Campaign.class)
                  .setParameter("account", caller.accountId())
                  .setMaxResults(500)
                  .getResultList();
    }
    return campaigns;
  }

  /** A time as the form's date-time field takes it, in the account's zone. */
  public String shown(Instant instant) {
    return instant == null ? "" : LOCAL.format(instant.atZone(getZone()));
  }

  /** A time as the list shows it, in the account's zone. */
  public String displayed(Instant instant) {
    return instant == null ? "" : DISPLAY.format(instant.atZone(getZone()));
  }

  /** An amount of money as people read it: at least two decimals, no trailing zeros beyond. */
  public static String money(BigDecimal amount) {
    if (amount == null) {
      return "";
    }
    BigDecimal plain = amount.stripTrailingZeros();
    return plain.setScale(Math.max(2, plain.scale())).toPlainString();
  }

  /** Campaign pages are for advertisers and admins: anyone else gets 403, not the page. */
  public boolean requireAccess() throws IOException {
    return PageAccess.allow(
        faces, currentCaller, "Campaigns are for advertisers.", Role.ADVERTISER, Role.ADMIN);
  }

  /**
   * Which campaign the page is about, from its {@code id} request parameter (in the address on the
   * first view, in a hidden field of every form on a post). Known when the bean is created, that is
   * while JSF decodes a post: the buttons that exist depend on the campaign's status, and a button
   * that does not exist while decoding is a click that is lost.
   */
  @PostConstruct
  void identify() {
    String parameter = faces.getExternalContext().getRequestParameterMap().get("id");
    requestedId = parameter != null;
    if (parameter == null || !parameter.matches("\\d{1,18}")) {
      return;
    }
    Campaign c = em.find(Campaign.class, Long.parseLong(parameter));
    boolean visible =
        c != null
            && currentCaller.get().map(caller -> caller.mayActFor(c.accountId())).orElse(false);
    if (visible) {
      id = c.id();
      status = c.status();
      title = c.name();
      // A post of the campaign form keeps what was entered; any other request (the first view,
      // a post of another form on the page, even one that fails validation) shows it as stored.
      if (!faces.getExternalContext().getRequestParameterMap().containsKey("campaign")) {
        fill(c);
      }
    }
  }

  /** The campaign the page is about, if the caller may see it; null on a new campaign's page. */
  Campaign current() {
    return id == null ? null : em.find(Campaign.class, id);
  }

  /** On the first view: 403 for other roles, 404 for a campaign that is not the caller's. */
  public void load() throws IOException {
    if (!requireAccess()) {
      return;
    }
    if (id == null) {
      if (requestedId) {
        faces.getExternalContext().responseSendError(404, "There is no such campaign.");
        faces.responseComplete();
      } else if (startsAt == null) {
        startsAt = LOCAL.format(LocalDateTime.now(getZone()).withSecond(0).withNano(0));
      }
      return;
    }
  }

  /** The form's fields as the campaign is stored. */
  private void fill(Campaign c) {
    version = c.version();
    name = c.name();
    type = c.type();
    priority = c.priority();
    startsAt = shown(c.startsAt());
    endsAt = shown(c.endsAt());
    impressionCap = c.impressionCap();
    clickCap = c.clickCap();
    dailyImpressionCap = c.dailyImpressionCap();
    dailyClickCap = c.dailyClickCap();
    pricing = c.pricing();
    rate = c.rate();
    budget = c.budget();
    pacing = c.pacing();
    frequencyCap = c.frequencyCap();
    frequencyHours = c.frequencyHours();
    weight = c.weight();
    Targeting targeting = c.targeting();
    days = names(targeting.days());
    hours = Targeting.hoursText(targeting.hours());
    devices = names(targeting.devices());
    browsers = names(targeting.browsers());
    languages = String.join(", ", targeting.languages());
    referrers = String.join(", ", targeting.referrerDomains());
    keywords = String.join(", ", targeting.keywords());
  }

  private static List<String> names(Set<? extends Enum<?>> values) {
    return new ArrayList<>(values.stream().map(Enum::name).toList());
  }

  private static List<String> list(String text) {
    return text == null || text.isBlank() ? List.of() : Arrays.asList(text.split("\\s*,\\s*"));
  }

  /** Ticked boxes (JSF checked each against the offered items; none ticked may arrive as null). */
  private static <E> Set<E> picked(
      List<String> names, java.util.function.Function<String, E> value) {
    return names == null ? Set.of() : names.stream().map(value).collect(Collectors.toSet());
  }

  /** The targeting as entered; null (with a message) when the hours cannot be read. */
  private Targeting targeting() {
    Set<Integer> hourSet = Targeting.parseHours(hours);
    if (hourSet == null) {
      error("hours", "Hours from 0 to 23, as ranges: 8-12, 14, 18-22.");
      faces.validationFailed();
      return null;
    }
    return new Targeting(
        picked(days, DayOfWeek::valueOf),
        hourSet,
        picked(devices, Device::valueOf),
        picked(browsers, Browser::valueOf),
        list(languages),
        list(referrers),
        list(keywords));
  }

  @Transactional
  public String save() {
    return store(null);
  }

  @Transactional
  public String changeStatus(CampaignStatus next) {
    return store(next);
  }

  private String store(CampaignStatus next) {
    Caller caller = caller();
    Instant start = parse("startsAt", startsAt);
    Instant end = endsAt == null || endsAt.isBlank() ? null : parse("endsAt", endsAt);
    Targeting targeting = targeting();
    if (faces.isValidationFailed()) {
      return null;
    }
    CampaignInput input =
        new CampaignInput(
            name,
            type,
            type == CampaignType.CONTRACT ? priority : null,
            next,
            start,
            end,
            impressionCap,
            clickCap,
            dailyImpressionCap,
            dailyClickCap,
            pricing,
            rate,
            budget,
            pacing,
            frequencyCap,
            frequencyHours,
            weight,
            targeting);
    List<FieldError> problems = input.problems();
    if (!problems.isEmpty()) {
      problems.forEach(p -> error(p.field().replace("targeting.", ""), p.message()));
      return null;
    }
    Campaign campaign;
    if (id == null) {
      if (!caller.is(Role.ADVERTISER)) {
        error(null, "Only an advertiser account creates campaigns.");
        return null;
      }
      campaign = input.newCampaign(caller.accountId());
      em.persist(campaign);
    } else {
      campaign = em.find(Campaign.class, id);
      if (campaign == null || !caller.mayActFor(campaign.accountId())) {
        error(null, "There is no such campaign.");
        return null;
      }
      if (campaign.version() != version) {
        error(null, "Someone changed this campaign since this page was shown; reload it.");
        return null;
      }
      if (next != null && !campaign.status().mayBecome(next)) {
        error(null, "A " + campaign.status() + " campaign cannot become " + next + ".");
        return null;
      }
      input.applyTo(campaign);
    }
    em.flush();
    faces.getExternalContext().getFlash().put("saved", "Saved “" + campaign.name() + "”.");
    return "/app/campaigns.xhtml?faces-redirect=true";
  }

  private Instant parse(String field, String local) {
    try {
      return LocalDateTime.parse(local, LOCAL).atZone(getZone()).toInstant();
    } catch (DateTimeParseException | NullPointerException e) {
      error(field, "Enter a date and time.");
      faces.validationFailed();
      return null;
    }
  }

  private void error(String field, String message) {
    faces.addMessage(
        field == null ? "campaign" : "campaign:" + field,
        new FacesMessage(FacesMessage.SEVERITY_ERROR, message, null));
  }

  public CampaignType[] getTypes() {
    return CampaignType.values();
  }

  public Pricing[] getPricings() {
    return Pricing.values();
  }

  public Pacing[] getPacings() {
    return Pacing.values();
  }

  public DayOfWeek[] getWeekdays() {
    return DayOfWeek.values();
  }

  public Device[] getDeviceClasses() {
    return Device.values();
  }

  public Browser[] getBrowserFamilies() {
    return Browser.values();
  }

  /** What the list shows of a campaign's targeting: "everyone", or the parts that restrict. */
  public String targetingSummary(Campaign campaign) {
    Targeting t = campaign.targeting();
    List<String> parts = new ArrayList<>();
    if (!t.days().isEmpty()) {
      parts.add(
          t.days().stream()
              .map(d -> d.name().substring(0, 3).toLowerCase())
              .collect(Collectors.joining(" ")));
    }
    if (!t.hours().isEmpty()) {
      parts.add(Targeting.hoursText(t.hours()) + " h");
    }
    if (!t.devices().isEmpty()) {
      parts.add(
          t.devices().stream().map(d -> d.name().toLowerCase()).collect(Collectors.joining("/")));
    }
    if (!t.browsers().isEmpty()) {
      parts.add(
          t.browsers().stream().map(b -> b.name().toLowerCase()).collect(Collectors.joining("/")));
    }
    if (!t.languages().isEmpty()) {
      parts.add(String.join("/", t.languages()));
    }
    if (!t.referrerDomains().isEmpty()) {
      parts.add("from " + String.join(", ", t.referrerDomains()));
    }
    if (!t.keywords().isEmpty()) {
      parts.add("keywords " + String.join(", ", t.keywords()));
    }
    return parts.isEmpty() ? "everyone" : String.join(" · ", parts);
  }

  public List<String> getDays() {
    return days;
  }

  public void setDays(List<String> days) {
    this.days = days;
  }

  public String getHours() {
    return hours;
  }

  public void setHours(String hours) {
    this.hours = hours;
  }

  public List<String> getDevices() {
    return devices;
  }

  public void setDevices(List<String> devices) {
    this.devices = devices;
  }

  public List<String> getBrowsers() {
    return browsers;
  }

  public void setBrowsers(List<String> browsers) {
    this.browsers = browsers;
  }

  public String getLanguages() {
    return languages;
  }

  public void setLanguages(String languages) {
    this.languages = languages;
  }

  public String getReferrers() {
    return referrers;
  }

  public void setReferrers(String referrers) {
    this.referrers = referrers;
  }

  public String getKeywords() {
    return keywords;
  }

  public void setKeywords(String keywords) {
    this.keywords = keywords;
  }

  public Long getId() {
    return id;
  }

  /** The campaign's name as stored (the form's name field may hold an edit). */
  public String getTitle() {
    return title;
  }

  public long getVersion() {
    return version;
  }

  public void setVersion(long version) {
    this.version = version;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public CampaignType getType() {
    return type;
  }

  public void setType(CampaignType type) {
    this.type = type;
  }

  public Integer getPriority() {
    return priority;
  }

  public void setPriority(Integer priority) {
    this.priority = priority;
  }

  public String getStartsAt() {
    return startsAt;
  }

  public void setStartsAt(String startsAt) {
    this.startsAt = startsAt;
  }

  public String getEndsAt() {
    return endsAt;
  }

  public void setEndsAt(String endsAt) {
    this.endsAt = endsAt;
  }

  public Long getImpressionCap() {
    return impressionCap;
  }

  public void setImpressionCap(Long impressionCap) {
    this.impressionCap = impressionCap;
  }

  public Long getClickCap() {
    return clickCap;
  }

  public void setClickCap(Long clickCap) {
    this.clickCap = clickCap;
  }

  public Long getDailyImpressionCap() {
    return dailyImpressionCap;
  }

  public void setDailyImpressionCap(Long dailyImpressionCap) {
    this.dailyImpressionCap = dailyImpressionCap;
  }

  public Long getDailyClickCap() {
    return dailyClickCap;
  }

  public void setDailyClickCap(Long dailyClickCap) {
    this.dailyClickCap = dailyClickCap;
  }

  public Pricing getPricing() {
    return pricing;
  }

  public void setPricing(Pricing pricing) {
    this.pricing = pricing;
  }

  public BigDecimal getRate() {
    return rate;
  }

  public void setRate(BigDecimal rate) {
    this.rate = rate;
  }

  public BigDecimal getBudget() {
    return budget;
  }

  public void setBudget(BigDecimal budget) {
    this.budget = budget;
  }

  public Pacing getPacing() {
    return pacing;
  }

  public void setPacing(Pacing pacing) {
    this.pacing = pacing;
  }

  public Integer getFrequencyCap() {
    return frequencyCap;
  }

  public void setFrequencyCap(Integer frequencyCap) {
    this.frequencyCap = frequencyCap;
  }

  public Integer getFrequencyHours() {
    return frequencyHours;
  }

  public void setFrequencyHours(Integer frequencyHours) {
    this.frequencyHours = frequencyHours;
  }

  public Integer getWeight() {
    return weight;
  }

  public void setWeight(Integer weight) {
    this.weight = weight;
  }

  public CampaignStatus getStatus() {
    return status;
  }

  public void setStatus(CampaignStatus status) {
    this.status = status;
  }
}
