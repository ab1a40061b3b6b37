package net.adgrid.accounts.control;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * In the session between a right password and the code of the user's second factor: who, until
 * when, and how many wrong codes so far. Nobody is signed in by it; it only lets the code form name
 * the user whose password was right.
 */
public record PendingSignIn(long userId, Instant expires, int wrongCodes) implements Serializable {

  public static final String SESSION_KEY = "adgrid.pending-sign-in";
  static final Duration TIME_TO_ENTER = Duration.ofMinutes(5);
  static final int WRONG_CODES_ALLOWED = 5;

  static PendingSignIn start(long userId) {
    return new PendingSignIn(userId, Instant.now().plus(TIME_TO_ENTER), 0);
  }

  public boolean usable() {
    return Instant.now().isBefore(expires) && wrongCodes < WRONG_CODES_ALLOWED;
  }

  PendingSignIn wrongCode() {
    return new PendingSignIn(userId, expires, wrongCodes + 1);
  }
}
