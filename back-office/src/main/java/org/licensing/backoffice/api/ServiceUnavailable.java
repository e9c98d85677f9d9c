package org.licensing.backoffice.api;

import java.time.Duration;

/**
 * An API could not serve the page: not reachable, too slow, or a load balancer in front of it answered 502/503/504
 * (an HTML page nobody should see). The error page names the service and says which of these it was.
 */
public class ServiceUnavailable extends RuntimeException {

    /** How the service failed, with the status the back office answers (it is a gateway to the API itself). */
    public enum Failure {
        /** No connection at all (refused, reset, unknown host). */
        UNREACHABLE(503),
        /** Connected, but no answer within {@code backoffice.api-timeout}. */
        TIMED_OUT(504),
        /** A load balancer in front answered 502: it got no valid answer from the service. */
        BAD_GATEWAY(502),
        /** The service, or the load balancer in front of it (no healthy target), answered 503. */
        UNAVAILABLE(503),
        /** A load balancer in front answered 504: it timed out waiting for the service. */
        GATEWAY_TIMEOUT(504);

        private final int status;

        Failure(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }

        /** The failure an upstream 502/503/504 stands for; null for any other status. */
        static Failure ofStatus(int status) {
            return switch (status) {
                case 502 -> BAD_GATEWAY;
                case 503 -> UNAVAILABLE;
                case 504 -> GATEWAY_TIMEOUT;
                default -> null;
            };
        }
    }

    private final String service;
    private final Failure failure;
    private final Duration timeout;
    private final String serviceDetail;

    private ServiceUnavailable(String service, Failure failure, Duration timeout, String serviceDetail,
            Throwable cause) {
        super(service + ": " + failure + (cause == null ? "" : " (" + cause + ")"), cause);
        this.service = service;
        this.failure = failure;
        this.timeout = timeout;
        this.serviceDetail = serviceDetail == null ? "" : serviceDetail;
    }

    static ServiceUnavailable unreachable(String service, Throwable cause) {
        return new ServiceUnavailable(service, Failure.UNREACHABLE, null, null, cause);
    }

    static ServiceUnavailable timedOut(String service, Duration timeout, Throwable cause) {
        return new ServiceUnavailable(service, Failure.TIMED_OUT, timeout, null, cause);
    }

    /** An upstream 502/503/504; {@code serviceDetail} is the detail of a problem+json body, never a proxy's HTML. */
    static ServiceUnavailable answered(String service, Failure failure, String serviceDetail) {
        return new ServiceUnavailable(service, failure, null, serviceDetail, null);
    }

    public String service() {
        return service;
    }

    public Failure failure() {
        return failure;
    }

    /** The page's status: 503 unreachable or unavailable, 504 timed out, 502 bad gateway. */
    public int status() {
        return failure.status();
    }

    /** The API's own problem detail when it answered 503 with problem+json, else empty. */
    public String serviceDetail() {
        return serviceDetail;
    }

    /** A short phrase after the service's name, for a note on a page that still shows the rest. */
    public String summary() {
        return switch (failure) {
            case UNREACHABLE -> "is not reachable";
            case TIMED_OUT -> "timed out (no answer within " + seconds(timeout) + ")";
            case BAD_GATEWAY -> "is not answering properly (502 Bad Gateway)";
            case UNAVAILABLE -> "is unavailable (503 Service Unavailable)";
            case GATEWAY_TIMEOUT -> "timed out (504 Gateway Timeout)";
        };
    }

    /** The timeout that ran out, for {@link Failure#TIMED_OUT}. */
    public Duration timeout() {
        return timeout;
    }

    /** "5 s" (or "500 ms"): a timeout as the pages name it. */
    public static String seconds(Duration d) {
        if (d == null) {
            return "the API timeout";
        }
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
