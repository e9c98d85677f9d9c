package org.licensing.notification.email;

import java.util.List;

import io.quarkus.qute.TemplateData;

/** What the daily digest shows: every license expiring in {@code days} days from {@code date}. */
@TemplateData
public record DigestView(String date, int days, List<Line> licenses) {

    @TemplateData
    public record Line(String licenseId, String customerName, String productName, String expiryDate, int daysLeft,
            String status) {
    }
}
