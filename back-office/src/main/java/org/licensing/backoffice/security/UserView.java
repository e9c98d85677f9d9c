package org.licensing.backoffice.security;

import io.quarkus.qute.TemplateData;

/** What a page needs to know about the signed-in user: name, role, and which actions to show. */
@TemplateData
public record UserView(String name, String role, boolean canWrite, boolean canAdmin, boolean canAdminWebhooks,
        boolean canRunReminders, boolean financeViews) {
}
