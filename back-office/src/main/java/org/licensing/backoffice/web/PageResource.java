package org.licensing.backoffice.web;

import org.licensing.backoffice.api.Apis;
import org.licensing.backoffice.security.CurrentUser;

/**
 * What every resource that renders pages for the signed-in user holds: the APIs (called with the user's token), the
 * page renderer and the user (for role checks). Subclasses take them in their {@code @Inject} constructor.
 */
public abstract class PageResource {

    protected final Apis apis;
    protected final Page page;
    protected final CurrentUser user;

    protected PageResource(Apis apis, Page page, CurrentUser user) {
        this.apis = apis;
        this.page = page;
        this.user = user;
    }
}
