package org.licensing.issuer.checkout;

import static org.junit.jupiter.api.Assertions.*;
import static org.licensing.issuer.support.Api.admin;
import static org.licensing.issuer.support.Api.as;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.licensing.testsupport.ServiceTest;

import io.restassured.path.json.JsonPath;

/** A checkout and its return are events of the feed, about the checkout, with the Checkout view as data. */
@ServiceTest
class CheckoutEventsTest {

    @Test
    void aCheckoutAndItsReturnArePublished() {
        Checkouts.License l = Checkouts.license(2, false);
        String fp = Checkouts.fingerprint();
        String checkoutId = Checkouts.checkOut(l, fp).then().statusCode(201).extract().path("checkoutId");
        Map<String, Object> returned = as(admin()).delete("/v1/licenses/" + l.id() + "/checkouts/" + fp).then()
                .statusCode(200).extract().jsonPath().getMap("");

        JsonPath feed = as(admin()).queryParam("licenseId", l.id()).get("/v1/events").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("license.issued", "checkout.created", "checkout.returned"), feed.getList("items.type"));
        assertEquals(Map.of("type", "checkout", "id", checkoutId), feed.getMap("items[1].subject"));
        assertEquals(fp, feed.getString("items[1].data.fingerprint"));
        assertEquals("ACTIVE", feed.getString("items[1].data.state"));
        assertEquals(returned, feed.getMap("items[2].data"));
        assertEquals(List.of(l.id(), l.id(), l.id()), feed.getList("items.licenseId"));
        // by subject: the checkout's two events
        assertEquals(2, as(admin()).queryParam("subjectType", "checkout").queryParam("subjectId", checkoutId)
                .get("/v1/events").then().statusCode(200).extract().jsonPath().getList("items").size());
    }
}
