package org.licensing.notification.support;

import static io.restassured.RestAssured.given;

/**
 * Reads one value from the service's Prometheus endpoint ({@code /q/metrics}, over HTTP), so a test asserts what a
 * meter moved by (read before, act, read after) rather than that its name appears.
 */
public final class Metrics {

    private Metrics() {
    }

    /**
     * The value of {@code name} with every label of {@code labels} ({@code "reason", "ses"} pairs), summed over the
     * series that match; 0 when none exists yet (a counter with a tag is registered on its first increment).
     */
    public static double value(String name, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        String scrape = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String series = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space);
            if (!series.equals(name)) {
                continue;
            }
            String labelText = brace >= 0 && brace < space ? line.substring(brace, line.lastIndexOf('}') + 1) : "";
            boolean all = true;
            for (int i = 0; i < labels.length; i += 2) {
                all &= labelText.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            if (all) {
                sum += Double.parseDouble(line.substring(space + 1).trim());
            }
        }
        return sum;
    }
}
