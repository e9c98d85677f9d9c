package org.licensing.issuer.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Actions, targets and states are stored and answered by name: the names are data and API (a plain unit test). */
class AuditActionTest {

    @Test
    void storedNamesStayAsTheyAre() {
        assertEquals(List.of("LICENSE_ISSUED", "LICENSE_RENEWED", "LICENSE_SUSPENDED", "LICENSE_REINSTATED",
                "LICENSE_REVOKED", "LICENSE_KEY_REGENERATED", "LICENSE_CHECKED_OUT", "LICENSE_CHECKOUT_RETURNED",
                "LICENSE_FILE_ISSUED", "LICENSE_USAGE_REPORTED", "CUSTOMER_CREATED", "CUSTOMER_UPDATED", "CONTACT_ADDED",
                "PRODUCT_CREATED",
                "POLICY_CREATED", "WEBHOOK_ENDPOINT_CREATED", "WEBHOOK_ENDPOINT_UPDATED", "WEBHOOK_ENDPOINT_ENABLED",
                "WEBHOOK_ENDPOINT_DISABLED", "WEBHOOK_ENDPOINT_SECRET_ROTATED", "WEBHOOK_ENDPOINT_DELETED"),
                Arrays.stream(AuditAction.values()).map(Enum::name).toList());
        assertEquals(List.of("LICENSE", "CUSTOMER", "PRODUCT", "POLICY", "WEBHOOK_ENDPOINT"),
                Arrays.stream(AuditTarget.values()).map(Enum::name).toList());
        assertEquals(List.of("PENDING", "COMMITTED", "FAILED"),
                Arrays.stream(AuditState.values()).map(Enum::name).toList());
    }

    @Test
    void eachActionNamesTheKindOfItsTarget() {
        for (AuditAction a : AuditAction.values()) {
            AuditTarget expected = a.name().startsWith("LICENSE_") ? AuditTarget.LICENSE
                    : a == AuditAction.CONTACT_ADDED ? AuditTarget.CUSTOMER
                    : a.name().startsWith("WEBHOOK_ENDPOINT_") ? AuditTarget.WEBHOOK_ENDPOINT
                    : AuditTarget.valueOf(a.name().substring(0, a.name().indexOf('_')));
            assertEquals(expected, a.target(), a.name());
        }
    }
}
