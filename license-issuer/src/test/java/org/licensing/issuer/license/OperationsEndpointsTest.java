package org.licensing.issuer.license;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import org.junit.jupiter.api.Test;
import org.licensing.testsupport.ServiceTest;

@ServiceTest
class OperationsEndpointsTest {

    @Test
    void healthAndMetrics() {
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"))
                .body("checks.find { it.name == 'licensing-backends' }.data.licensesTable", is("ACTIVE"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }
}
