package org.licensing.backoffice.config;

import java.net.URI;
import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the APIs are and how long to wait for them (back-office/README.md, "Configuration"). */
@ConfigMapping(prefix = "backoffice")
public interface BackOfficeConfig {

    /** Base URL of the license issuer. */
    URI issuerUrl();

    /** Base URL of the notification service. */
    URI notificationUrl();

    /** Per-request timeout towards the APIs: a hung API becomes a clear page, not a hung browser. */
    @WithDefault("10s")
    Duration apiTimeout();

    /** Page size of the license search. */
    @WithDefault("25")
    int pageSize();
}
