package org.licensing.notification.email;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.licensing.notification.config.RemindersConfig;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.LimitExceededException;
import software.amazon.awssdk.services.sesv2.model.SesV2Exception;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;

/**
 * Sends with SES v2 (simple content). Throttling ({@code TooManyRequestsException}, {@code LimitExceededException},
 * 429), 5xx and I/O failures are retried with jittered exponential backoff; then, or at once for a rejection,
 * {@link EmailDeliveryException}. Blocking.
 */
@ApplicationScoped
public class EmailSender {

    private static final Logger LOG = Logger.getLogger(EmailSender.class);

    private final SesV2Client ses;
    private final int maxAttempts;
    private final Backoff backoff;

    public EmailSender(SesV2Client ses, RemindersConfig config) {
        this.ses = ses;
        this.maxAttempts = Math.max(1, config.ses().maxAttempts());
        this.backoff = new Backoff(config.ses().initialBackoff(), config.ses().maxBackoff(),
                bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    }

    /** Returns SES's message id. */
    public String send(OutgoingEmail email) {
        for (int attempt = 1;; attempt++) {
            try {
                return ses.sendEmail(b -> b
                        .fromEmailAddress(email.from())
                        .destination(d -> d.toAddresses(email.to()).ccAddresses(email.cc()))
                        .content(c -> c.simple(m -> m
                                .subject(s -> s.data(email.subject()).charset("UTF-8"))
                                .body(body -> body
                                        .html(h -> h.data(email.html()).charset("UTF-8"))
                                        .text(t -> t.data(email.text()).charset("UTF-8"))))))
                        .messageId();
            } catch (SdkException e) {
                boolean retryable = isRetryable(e);
                if (!retryable || attempt >= maxAttempts) {
                    throw new EmailDeliveryException("SES did not accept the email after " + attempt + " attempt(s): "
                            + describe(e), retryable, e);
                }
                Duration delay = backoff.delay(attempt - 1);
                LOG.warnf("SES send failed (%s), attempt %d of %d; retrying in %d ms", describe(e), attempt,
                        maxAttempts, delay.toMillis());
                sleep(delay);
            }
        }
    }

    static boolean isRetryable(SdkException e) {
        if (e instanceof TooManyRequestsException || e instanceof LimitExceededException) {
            return true;
        }
        if (e instanceof SesV2Exception s) {
            int status = s.statusCode();
            return status == 429 || status >= 500;
        }
        return e instanceof SdkClientException;
    }

    private static String describe(SdkException e) {
        if (e instanceof SesV2Exception s && s.awsErrorDetails() != null) {
            return s.statusCode() + " " + s.awsErrorDetails().errorCode();
        }
        return e.getClass().getSimpleName();
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmailDeliveryException("interrupted while backing off", true, e);
        }
    }
}
