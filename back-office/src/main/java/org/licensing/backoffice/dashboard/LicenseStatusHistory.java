package org.licensing.backoffice.dashboard;

import java.util.List;
import java.util.Map;

/** The issuer's {@code GET /v1/licenses/status-history}: counts per status at each month end, oldest first. */
public record LicenseStatusHistory(String productCode, List<Point> months) {

    /** One month end ({@code at}, its last second in UTC; the last point is now) and its counts per status. */
    public record Point(String month, String at, Map<String, Long> counts) {
    }
}
