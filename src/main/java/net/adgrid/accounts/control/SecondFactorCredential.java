package net.adgrid.accounts.control;

import jakarta.security.enterprise.credential.Credential;

/** The code from an authenticator app, sent after the password was found right. */
public record SecondFactorCredential(String code) implements Credential {}
