package org.licensing.notification.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.SesV2Exception;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;

class BackoffTest {

    final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), bound -> bound);

    @Test
    void growsExponentiallyUpToTheCap() {
        assertEquals(200, backoff.ceiling(0));
        assertEquals(400, backoff.ceiling(1));
        assertEquals(6400, backoff.ceiling(5));
        assertEquals(10_000, backoff.ceiling(6));
        assertEquals(10_000, backoff.ceiling(100));
    }

    @Test
    void jitterStaysWithinTheCeiling() {
        Backoff none = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), bound -> 0);
        assertEquals(Duration.ZERO, none.delay(3));
        assertEquals(Duration.ofMillis(1600), backoff.delay(3));
    }

    @Test
    void throttlingServerErrorsAndIoAreRetriedRejectionsAreNot() {
        assertTrue(EmailSender.isRetryable(TooManyRequestsException.builder().statusCode(429).build()));
        assertTrue(EmailSender.isRetryable(SesV2Exception.builder().statusCode(503).build()));
        assertTrue(EmailSender.isRetryable(SdkClientException.create("connection refused")));
        assertFalse(EmailSender.isRetryable(BadRequestException.builder().statusCode(400).build()));
    }
}
