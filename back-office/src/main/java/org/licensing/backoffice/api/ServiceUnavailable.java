package org.licensing.backoffice.api;

/** An API could not be reached (connection refused, timeout): the 503 page names the service. */
public class ServiceUnavailable extends RuntimeException {

    private final String service;

    public ServiceUnavailable(String service, Throwable cause) {
        super(service + " is unreachable: " + cause, cause);
        this.service = service;
    }

    public String service() {
        return service;
    }
}
