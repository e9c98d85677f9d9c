package org.licensing.notification.email;

import io.quarkus.qute.TemplateData;

/** What a reminder email shows. */
@TemplateData
public record ReminderView(String licenseId, String customerId, String customerName, String productCode,
        String productName, String expiryDate, int daysLeft, String renewalContact) {
}
