package org.licensing.issuer.license;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.licensing.core.document.LicenseDocument;
import org.licensing.core.license.Entitlements;
import org.licensing.core.license.LicenseStatus;
import org.licensing.store.LicenseRecord;

/** The license file of a stored license says what the record says (a plain unit test: no Quarkus). */
class LicenseDocumentOfRecordTest {

    @Test
    void ofRecordCopiesTheSignedFields() {
        Instant t = Instant.parse("2025-03-04T05:06:07.891Z");
        LicenseRecord r = LicenseRecord.builder().licenseId("lic-1").keyHash("hash").customerId("cust-1")
                .customerName("Cust One").productCode("prod").productName("Product").policyId("pol")
                .status(LicenseStatus.ACTIVE).issuedAt(t).notBefore(t).expiresAt(t.plusSeconds(86400)).graceDays(7)
                .maxActivations(3).overagePercent(10).entitlements(new Entitlements(Map.of("a", true),
                        Map.of("gpus", new BigDecimal("8")))).financeEmails(List.of("f@x.test")).updatedAt(t).build();
        LicenseDocument d = LicenseFileService.documentOf(r);
        assertEquals("lic-1", d.licenseId());
        assertEquals("cust-1", d.customerId());
        assertEquals("Cust One", d.customerName());
        assertEquals("prod", d.productCode());
        assertEquals(Map.of("a", true), d.features());
        assertEquals(Map.of("gpus", new BigDecimal("8")), d.limits());
        assertEquals(3, d.maxActivations());
        assertEquals(7, d.graceDays());
        assertEquals(Instant.parse("2025-03-04T05:06:07Z"), d.issuedAt(), "whole seconds");
        assertEquals(Instant.parse("2025-03-12T05:06:07Z"), d.graceEndsAt());
    }

}
