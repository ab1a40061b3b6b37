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

  @PersistenceContext EntityManager em;

  /** The caller a correct e-mail and password stand for; empty for anything else. */
  @Transactional
  public Optional<Caller> signIn(String email, String password) {
    String normalized = User.normalizeEmail(email);
    if (normalized == null
        || normalized.length() > 254
        || normalized.indexOf('\u0000') >= 0
        || password == null
        || password.length() > PasswordHashing.MAX_LENGTH) {
      return Optional.empty();
    }
    List<User> found =
        em.createNamedQuery(User.BY_EMAIL, User.class)
            .setParameter("email", normalized)
            .getResultList();
    if (found.isEmpty()) {
      PasswordHashing.verifyNobody(password.toCharArray());
      return Optional.empty();
    }
    User user = found.get(0);
    if (!PasswordHashing.verify(password.toCharArray(), user.passwordHash()) || !user.mayUse()) {
      return Optional.empty();
    }
    user.signedIn(Instant.now());
    Account account = user.account();
    return Optional.of(new Caller(account.id(), account.role(), user.email(), user.id(), null));
  }

  /** The caller an API key stands for, if it is well formed, known, active and its account is. */
  public Optional<Caller> callerForKey(String presented) {
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
                new Caller(
                    stored.account().id(),
                    stored.account().role(),
                    "apikey:" + stored.prefix(),
                    null,
                    stored.id()));
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
  public String createKey(Caller caller, String name) {
    ApiKeySecrets.NewKey secret = ApiKeySecrets.generate();
    Account account = em.find(Account.class, caller.accountId());
    em.persist(
        new ApiKey(
            account, name.trim(), secret.prefix(), secret.hash(), caller.userId(), Instant.now()));
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
