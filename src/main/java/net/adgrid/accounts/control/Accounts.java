package net.adgrid.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.adgrid.accounts.entity.Account;
import net.adgrid.accounts.entity.ApiKey;
import net.adgrid.accounts.entity.User;

/** Signing in with a password or an API key, and managing an account's API keys. */
@ApplicationScoped
public class Accounts {

  private static final java.util.Map<String, Object> FRESH =
      java.util.Map.of(
          "jakarta.persistence.cache.retrieveMode", jakarta.persistence.CacheRetrieveMode.BYPASS);

  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(Accounts.class.getName());

  /** The first key of the advisory locks that serialize one e-mail address's sign-ins. */
  private static final int SIGN_IN_LOCK = 0x61670001;

  @PersistenceContext EntityManager em;

  /** What a sign-in with a password came to. */
  public sealed interface SignIn {
    /** Signed in. */
    record Done(Caller caller) implements SignIn {}

    /** The password was right; the user's second factor comes next. */
    record NeedsCode(long userId) implements SignIn {}

    /** Wrong e-mail, wrong password, or a disabled user or account: all look the same. */
    record Refused() implements SignIn {}

    /** Too many wrong tries lately: refused without looking at the password. */
    record Throttled(long minutes) implements SignIn {}
  }

  /**
   * Guessing limits, over the last {@link #WINDOW_MINUTES} minutes (wrong tries before a user's
   * last sign-in do not count against that address): wrong tries of one e-mail address from one
   * client address, of one e-mail address from anywhere (a guesser with many addresses), and from
   * one client address for any e-mail address (a guesser trying many accounts; {@code
   * ADGRID_LIMIT_IP_SIGN_IN_FAILURES}, 0 turns it off).
   */
  static final int FAILURES_PER_EMAIL_AND_CLIENT = 5;

  static final int FAILURES_PER_EMAIL = 20;
  static final int WINDOW_MINUTES = 15;

  private final int failuresPerClient =
      Integer.parseInt(
          java.util.Objects.requireNonNullElse(
              System.getenv("ADGRID_LIMIT_IP_SIGN_IN_FAILURES"), "30"));

  /**
   * Checks an e-mail and password from a client address, within the guessing limits, and records
   * the try (sign_in_attempt: the audit and the count).
   */
  @Transactional
  public SignIn signIn(String email, String password, String client) {
    String normalized = User.normalizeEmail(email);
    if (normalized == null
        || normalized.length() > 254
        || normalized.indexOf('\u0000') >= 0
        || password == null
        || password.length() > PasswordHashing.MAX_LENGTH) {
      return new SignIn.Refused();
    }
    // One e-mail address's tries one at a time across the cluster: a burst of guesses sent to
    // every node at once is counted try by try, never checked against a stale count.
    em.createNativeQuery("SELECT pg_advisory_xact_lock(" + SIGN_IN_LOCK + ", hashtext(?1))")
        .setParameter(1, normalized)
        .getSingleResult();
    long wait = throttled(normalized, client);
    if (wait > 0) {
      record(normalized, client, "THROTTLED");
      LOG.warning("Sign-in throttled: " + normalized + " from " + client);
      return new SignIn.Throttled(wait);
    }
    SignIn result = check(normalized, password);
    record(
        normalized,
        client,
        result instanceof SignIn.Done
            ? "OK"
            : result instanceof SignIn.NeedsCode ? "CODE" : "WRONG");
    return result;
  }

  private SignIn check(String normalized, String password) {
    List<User> found =
        em.createNamedQuery(User.BY_EMAIL, User.class)
            .setParameter("email", normalized)
            .getResultList();
    if (found.isEmpty()) {
      PasswordHashing.verifyNobody(password.toCharArray());
      return new SignIn.Refused();
    }
    User user = found.get(0);
    if (!PasswordHashing.verify(password.toCharArray(), user.passwordHash()) || !user.mayUse()) {
      return new SignIn.Refused();
    }
    if (user.hasTotp()) {
      return new SignIn.NeedsCode(user.id());
    }
    return new SignIn.Done(signedIn(user));
  }

  /** Minutes until the next try may be checked; 0 when it may be now. */
  private long throttled(String email, String client) {
    Object[] row =
        (Object[])
            em.createNativeQuery(
                    "WITH last_ok AS (SELECT coalesce(max(at), '-infinity') AS at"
                        + " FROM sign_in_attempt WHERE email = ?1 AND outcome IN ('OK', 'CODE'))"
                        + " SELECT count(*) FILTER (WHERE a.email = ?1 AND a.at > l.at"
                        + "   AND a.client_ip IS NOT DISTINCT FROM CAST(?2 AS inet)),"
                        + " count(*) FILTER (WHERE a.email = ?1 AND a.at > l.at),"
                        + " count(*) FILTER (WHERE a.client_ip = CAST(?2 AS inet)),"
                        + " CAST(ceil(extract(epoch FROM min(a.at) + make_interval(mins => ?3)"
                        + "   - now()) / 60) AS bigint)"
                        + " FROM sign_in_attempt a, last_ok l"
                        + " WHERE a.outcome = 'WRONG' AND a.at > now() - make_interval(mins => ?3)"
                        + " AND (a.email = ?1 OR a.client_ip = CAST(?2 AS inet))")
                .setParameter(1, email)
                .setParameter(2, client)
                .setParameter(3, WINDOW_MINUTES)
                .getSingleResult();
    boolean over =
        ((Number) row[0]).longValue() >= FAILURES_PER_EMAIL_AND_CLIENT
            || ((Number) row[1]).longValue() >= FAILURES_PER_EMAIL
            || failuresPerClient > 0 && ((Number) row[2]).longValue() >= failuresPerClient;
    return over ? Math.max(1, row[3] == null ? WINDOW_MINUTES : ((Number) row[3]).longValue()) : 0;
  }

  private void record(String email, String client, String outcome) {
    em.createNativeQuery(
            "INSERT INTO sign_in_attempt (email, client_ip, outcome)"
                + " VALUES (?1, CAST(?2 AS inet), ?3)")
        .setParameter(1, email)
        .setParameter(2, client)
        .setParameter(3, outcome)
        .executeUpdate();
  }

  /**
   * The second step for a user whose password was right: a current code from their app, never one
   * used before. The user's row is locked while checking, so the same code sent to two nodes at
   * once signs in once.
   */
  @Transactional
  public Optional<Caller> secondFactor(long userId, String code) {
    User user = em.find(User.class, userId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
    if (user == null || !user.mayUse() || !user.hasTotp() || !checkCode(user, code)) {
      return Optional.empty();
    }
    return Optional.of(signedIn(user));
  }

  /**
   * Checks a code of the user's second factor on their locked row: right and new, it is used up;
   * wrong, it counts against the user (however many sessions or nodes the guesses come from).
   */
  private static boolean checkCode(User user, String code) {
    Instant now = Instant.now();
    if (user.totpLocked(now)) {
      return false;
    }
    var step = Totp.verify(user.totpSecret(), code, now, user.totpLastStep());
    if (step.isEmpty()) {
      user.wrongTotp(now);
      return false;
    }
    user.usedTotpStep(step.getAsLong());
    return true;
  }

  private Caller signedIn(User user) {
    // Not an edit of the user (no version check, no new version): one user signing in from two
    // browsers at the same moment, on two nodes, must succeed twice (it was a 500 for one).
    em.createQuery("UPDATE User u SET u.lastLoginAt = :at WHERE u.id = :id")
        .setParameter("at", Instant.now())
        .setParameter("id", user.id())
        .executeUpdate();
    Account account = user.account();
    return new Caller(account.id(), account.role(), user.email(), user.id(), null);
  }

  /** Whether the caller's user signs in with a second factor. */
  public boolean hasSecondFactor(Caller caller) {
    User user = em.find(User.class, caller.userId(), FRESH);
    return user != null && user.hasTotp();
  }

  /** Turns the second factor on, if the code shows that the user's app holds the secret. */
  @Transactional
  public boolean requireSecondFactor(Caller caller, String secret, String code) {
    User user =
        em.find(User.class, caller.userId(), jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
    var step = Totp.verify(secret, code, Instant.now(), 0);
    if (user == null || step.isEmpty()) {
      return false;
    }
    user.requireTotp(secret, step.getAsLong());
    return true;
  }

  /** Turns the second factor off, with a current code (a stolen session alone cannot). */
  @Transactional
  public boolean dropSecondFactor(Caller caller, String code) {
    User user =
        em.find(User.class, caller.userId(), jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
    if (user == null || !user.hasTotp() || !checkCode(user, code)) {
      return false;
    }
    user.dropTotp();
    return true;
  }

  /** The caller an API key acts as, and whether the key may only read. */
  public record KeyCaller(Caller caller, boolean readOnly) {}

  /** The caller an API key stands for, if it is well formed, known, active and its account is. */
  public Optional<KeyCaller> callerForKey(String presented) {
    return ApiKeySecrets.parse(presented)
        .flatMap(
            key ->
                em
                    .createNamedQuery(ApiKey.BY_PREFIX, ApiKey.class)
                    .setParameter("prefix", key.prefix())
                    .setHint(
                        "jakarta.persistence.cache.retrieveMode",
                        jakarta.persistence.CacheRetrieveMode.BYPASS)
                    .getResultList()
                    .stream()
                    .filter(stored -> ApiKeySecrets.matches(key, stored.secretHash()))
                    .filter(stored -> stored.active() && !stored.account().disabled())
                    .findFirst())
        .map(
            stored ->
                new KeyCaller(
                    new Caller(
                        stored.account().id(),
                        stored.account().role(),
                        "apikey:" + stored.prefix(),
                        null,
                        stored.id()),
                    stored.readOnly()));
  }

  /**
   * Whether a signed-in caller's account and user may still be used. Read from PostgreSQL, not the
   * shared cache, so that disabling an account (even by SQL) takes effect at once.
   */
  public boolean stillAllowed(Caller caller) {
    Account account = em.find(Account.class, caller.accountId(), FRESH);
    if (account == null || account.disabled()) {
      return false;
    }
    if (caller.userId() != null) {
      User user = em.find(User.class, caller.userId(), FRESH);
      return user != null && user.mayUse();
    }
    return true;
  }

  /** Creates a key for the caller's account; the returned key is the only copy there is. */
  @Transactional
  public String createKey(Caller caller, String name, boolean readOnly) {
    ApiKeySecrets.NewKey secret = ApiKeySecrets.generate();
    Account account = em.find(Account.class, caller.accountId());
    em.persist(
        new ApiKey(
            account,
            name.trim(),
            secret.prefix(),
            secret.hash(),
            caller.userId(),
            Instant.now(),
            readOnly));
    return secret.key();
  }

  public List<ApiKey> keys(Caller caller) {
    return em.createNamedQuery(ApiKey.OF_ACCOUNT, ApiKey.class)
        .setParameter("account", caller.accountId())
        .getResultList();
  }

  /** Revokes one of the caller's own account's keys; false when there is no such key. */
  @Transactional
  public boolean revokeKey(Caller caller, long keyId) {
    ApiKey key = em.find(ApiKey.class, keyId);
    if (key == null || key.account().id() != caller.accountId()) {
      return false;
    }
    key.revoke(Instant.now());
    return true;
  }
}
