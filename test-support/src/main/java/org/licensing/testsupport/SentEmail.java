package org.licensing.testsupport;

import java.time.Instant;
import java.util.List;

/** One email the SES emulator accepted. {@code text} and {@code html} may be null when the part was not sent. */
public record SentEmail(String messageId, String from, List<String> to, List<String> cc, List<String> bcc,
        String subject, String text, String html, Instant at) {

    public List<String> allRecipients() {
        return java.util.stream.Stream.of(to, cc, bcc).flatMap(List::stream).toList();
    }
}
