package org.licensing.issuer.security;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

/** Refuses portal tokens (403) on the operations marked {@link BackOfficeOnly}. */
@Provider
@BackOfficeOnly
@Priority(Priorities.AUTHORIZATION)
public class BackOfficeOnlyFilter implements ContainerRequestFilter {

    private final Caller caller;

    public BackOfficeOnlyFilter(Caller caller) {
        this.caller = caller;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        caller.requireBackOffice();
    }
}
