package org.licensing.notification.email;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;

/** Renders the reminder and digest emails from the Qute templates in {@code templates/}. */
@ApplicationScoped
public class EmailRenderer {

    public record Rendered(String subject, String html, String text) {
    }

    private final Template reminderHtml;
    private final Template reminderText;
    private final Template digestHtml;
    private final Template digestText;

    public EmailRenderer(@Location("reminder.html") Template reminderHtml,
            @Location("reminder.txt") Template reminderText,
            @Location("digest.html") Template digestHtml,
            @Location("digest.txt") Template digestText) {
        this.reminderHtml = reminderHtml;
        this.reminderText = reminderText;
        this.digestHtml = digestHtml;
        this.digestText = digestText;
    }

    public Rendered reminder(ReminderView r) {
        String when = r.daysLeft() == 0 ? "expires today"
                : r.daysLeft() == 1 ? "expires tomorrow" : "expires in " + r.daysLeft() + " days";
        String subject = "License " + r.licenseId() + " for " + r.productName() + " " + when + " (" + r.expiryDate()
                + ")";
        return new Rendered(subject, reminderHtml.data("r", r).data("when", when).render(),
                reminderText.data("r", r).data("when", when).render());
    }

    public Rendered digest(DigestView d) {
        String subject = "License expiry digest " + d.date() + ": " + d.licenses().size()
                + " license(s) expiring in the next " + d.days() + " days";
        return new Rendered(subject, digestHtml.data("d", d).render(), digestText.data("d", d).render());
    }
}
