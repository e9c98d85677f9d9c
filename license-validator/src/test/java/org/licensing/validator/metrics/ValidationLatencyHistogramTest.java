package org.licensing.validator.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.licensing.testsupport.ServiceTest;

import io.restassured.http.ContentType;

/**
 * The validator's /q/metrics carries histogram buckets of /v1/validate, the series the Prometheus alert on the
 * validation latency's p99 reads (infra's PrometheusMetrics: {@code http_server_requests_seconds_bucket}, bucket
 * {@code le="1.0"} being the threshold).
 */
@ServiceTest
class ValidationLatencyHistogramTest {

    @Test
    void validationTimingsHaveTheBucketsTheP99AlertReads() {
        // any answer will do (a malformed key is a 200 with a code): what matters is the timing it records
        given().contentType(ContentType.JSON).body(Map.of("key", "LK1-NOT-A-KEY", "nonce", "0123456789abcdef0123456789abcdef"))
                .post("/v1/validate").then().statusCode(org.hamcrest.Matchers.lessThan(500));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("http_server_requests_seconds_bucket{")
                && l.contains("uri=\"/v1/validate\"") && l.contains("le=\"1.0\"")), metrics.lines()
                        .filter(l -> l.startsWith("http_server_requests_seconds")).toList().toString());
    }
}
