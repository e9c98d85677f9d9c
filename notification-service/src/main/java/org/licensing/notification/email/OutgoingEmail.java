package org.licensing.notification.email;

import java.util.List;

/** One email to send: simple content with an HTML and a text part. */
public record OutgoingEmail(String from, List<String> to, List<String> cc, String subject, String html, String text) {

    public OutgoingEmail {
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        if (to.isEmpty()) {
            throw new IllegalArgumentException("an email needs at least one recipient");
        }
    }
}
