package org.licensing.issuer.license;

import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.licensing.issuer.support.Api.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.licensing.issuer.support.Api;
import org.licensing.testsupport.ServiceTest;

import io.restassured.path.json.JsonPath;

@ServiceTest
class LicenseSearchTest {

    @Test
    void byCustomerNewestFirstAcrossPages() {
        Api.Fixture f = Api.fixture();
        List<String> issued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            issued.add(f.issue().getString("licenseId"));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var req = as(admin()).queryParam("customerId", f.customerId()).queryParam("limit", 2);
            if (cursor != null) {
                req.queryParam("cursor", cursor);
            }
            JsonPath page = req.get("/v1/licenses").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.licenseId"));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 10);
        List<String> newestFirst = new ArrayList<>(issued);
        java.util.Collections.reverse(newestFirst);
        assertEquals(newestFirst, seen);
        assertTrue(pages >= 3);
    }

    @Test
    void byProductWithStatusAndExpiryFilters() {
        Api.Fixture f = Api.fixture();
        String soon = f.issue(Map.of("expiresAt", "2030-01-10T00:00:00Z")).getString("licenseId");
        String later = f.issue(Map.of("expiresAt", "2032-01-10T00:00:00Z")).getString("licenseId");
        String suspended = f.issue(Map.of("expiresAt", "2030-02-10T00:00:00Z")).getString("licenseId");
        as(admin()).post("/v1/licenses/" + suspended + "/suspend").then().statusCode(200);

        as(admin()).queryParam("productCode", f.productCode()).get("/v1/licenses").then().statusCode(200)
                .body("items.licenseId", contains(soon, suspended, later));
        as(admin()).queryParam("productCode", f.productCode()).queryParam("expiringBefore", "2031-01-01T00:00:00Z")
                .get("/v1/licenses").then().body("items.licenseId", contains(soon, suspended));
        as(admin()).queryParam("productCode", f.productCode()).queryParam("status", "SUSPENDED")
                .get("/v1/licenses").then().body("items.licenseId", contains(suspended));
        as(admin()).queryParam("customerId", f.customerId()).queryParam("status", "ACTIVE")
                .queryParam("expiringBefore", "2031-01-01T00:00:00Z")
                .get("/v1/licenses").then().body("items.licenseId", contains(soon));
    }

    @Test
    void searchesNoIndexCanServeAreRefused() {
        as(admin()).queryParam("status", "ACTIVE").get("/v1/licenses").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", is("https://licensing.dev/problems/search-needs-index"));
        as(admin()).queryParam("customerId", "x").queryParam("cursor", "garbage!").get("/v1/licenses").then()
                .statusCode(400).body("type", is("https://licensing.dev/problems/invalid-cursor"));
        as(admin()).queryParam("customerId", "x").queryParam("limit", 1000).get("/v1/licenses").then()
                .statusCode(400);
        as(admin()).queryParam("customerId", "x").queryParam("status", "NOPE").get("/v1/licenses").then()
                .statusCode(anyOf(is(400), is(404)));
    }
}
