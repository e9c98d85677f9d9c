package org.licensing.backoffice.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.qute.Engine;

import org.licensing.backoffice.api.ApiProblem;
import org.licensing.backoffice.api.ServiceUnavailable;
import org.licensing.backoffice.security.CurrentUser;
import org.licensing.backoffice.security.NotPermitted;

/**
 * Every failure becomes a readable page: what failed and what to do; never a stack trace or a class name. The
 * page is rendered here (not by the template filter) so a failure while rendering cannot hide the first one.
 */
public class ErrorPages {

    private static final Logger LOG = Logger.getLogger(ErrorPages.class);

    private final Engine engine;
    private final CurrentUser user;

    @Inject
    public ErrorPages(Engine engine, CurrentUser user) {
        this.engine = engine;
        this.user = user;
    }

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem problem) {
        // The API's own status where it is the user's business (404, 409, 422, 400), else 502: the API failed.
        int status = problem.status() >= 500 ? 502 : problem.status() == 401 ? 401 : problem.status();
        return page(status, problem.service() + " refused the request: " + problem.title(),
                problem.detail(), String.join("; ", problem.violations()), problem.advice());
    }

    @ServerExceptionMapper
    public Response unavailable(ServiceUnavailable e) {
        LOG.warnf("%s %s: %s", e.service(), e.summary(), e.getCause() == null ? e.getMessage() : e.getCause());
        String service = e.service();
        String detail = switch (e.failure()) {
            case UNREACHABLE -> "The back office could not connect to the " + service
                    + " just now, so this page cannot be shown.";
            case TIMED_OUT -> "The request to the " + service + " timed out: it did not answer within "
                    + ServiceUnavailable.seconds(e.timeout()) + " (backoffice.api-timeout), so the back office stopped"
                    + " waiting and this page cannot be shown.";
            case BAD_GATEWAY -> "The load balancer in front of the " + service + " answered 502 Bad Gateway: it got"
                    + " no valid answer from the " + service + " (it may be restarting).";
            case UNAVAILABLE -> "The " + service + ", or the load balancer in front of it, answered 503 Service"
                    + " Unavailable: it cannot serve requests just now (no healthy instance, starting or overloaded)."
                    + (e.serviceDetail().isBlank() ? "" : " It says: " + e.serviceDetail());
            case GATEWAY_TIMEOUT -> "The load balancer in front of the " + service + " answered 504 Gateway"
                    + " Timeout: the " + service + " took too long to answer it.";
        };
        String title = e.failure() == ServiceUnavailable.Failure.UNREACHABLE
                ? "The " + service + " is not reachable" : "The " + service + " " + e.summary();
        String advice = "Try again in a minute. If you were making a change, reload the page first to see whether"
                + " it was made. If it persists, the " + service + " is down: tell the operators.";
        return page(e.status(), title, detail, "", advice);
    }

    @ServerExceptionMapper
    public Response notPermitted(NotPermitted e) {
        return page(403, "Not allowed",
                "Your role (" + user.view().role() + ") does not include " + e.needed() + ".",
                "", "Nothing was changed. Ask an administrator if you need this role.");
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return page(404, "Page not found", "There is no page at this address.", "",
                "Use the navigation above.");
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response other(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status < 500) {
            return page(status, "Request refused (" + status + ")", "The request could not be processed.", "",
                    "Go back, reload the page and try again.");
        }
        LOG.error("request failed", e);
        return page(500, "Something went wrong", "The back office failed to handle this request.", "",
                "Try again; if it persists, tell the operators (the back office's log has the details).");
    }

    @ServerExceptionMapper(priority = 10_001)
    public Response unexpected(RuntimeException e) {
        LOG.error("request failed", e);
        return page(500, "Something went wrong", "The back office failed to handle this request.", "",
                "Try again; if it persists, tell the operators (the back office's log has the details).");
    }

    private Response page(int status, String title, String detail, String violations, String advice) {
        String html;
        try {
            html = engine.getTemplate("error").data("user", user.view()).data("status", status)
                    .data("title", title).data("detail", detail).data("violations", violations)
                    .data("advice", advice)
                    // an error page may come before the CSRF filter set its token (the sign-out form needs it)
                    .data("hideSignOut", true).render();
        } catch (RuntimeException renderFailed) {
            LOG.error("error page failed to render", renderFailed);
            html = "<!DOCTYPE html><html lang=\"en\"><head><title>Error</title></head><body><h1>Error " + status
                    + "</h1><p>The back office could not show this page.</p></body></html>";
        }
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(html).build();
    }
}
