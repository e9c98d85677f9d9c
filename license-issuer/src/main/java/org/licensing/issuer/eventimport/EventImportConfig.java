package org.licensing.issuer.eventimport;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The import of the validator's and the notification service's events ({@code licensing.event-import.*}). */
@ConfigMapping(prefix = "licensing.event-import")
public interface EventImportConfig {

    /** How often each replica imports ({@code off} disables the schedule). */
    @WithDefault("30s")
    String every();

    /** Items read per index partition and run (each holds up to 100 events). */
    @WithDefault("100")
    int batch();
}
