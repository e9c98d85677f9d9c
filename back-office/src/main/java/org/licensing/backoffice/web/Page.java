package org.licensing.backoffice.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import io.quarkus.qute.Engine;
import io.quarkus.qute.TemplateInstance;

import org.licensing.backoffice.security.CurrentUser;

/** A page template with what every page shows (the user and its role) already set. */
@RequestScoped
public class Page {

    private final Engine engine;
    private final CurrentUser user;

    @Inject
    public Page(Engine engine, CurrentUser user) {
        this.engine = engine;
        this.user = user;
    }

    /** {@code name} is the template's path under templates/ without the .html suffix. */
    public TemplateInstance of(String name) {
        var template = engine.getTemplate(name);
        if (template == null) {
            throw new IllegalStateException("no template " + name);
        }
        return template.data("user", user.view());
    }
}
