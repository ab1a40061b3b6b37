package net.adgrid.platform;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The integrators' API: every resource lives under {@code /api/v1}. */
@ApplicationPath("api/v1")
public class JaxrsApplication extends Application {}
