package org.licensing.core.document;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

final class Fixtures {

    static final String ISSUER = "https://licensing.example.test";
    static final Instant ISSUED = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant NBF = Instant.parse("2025-01-02T00:00:00Z");
    static final Instant EXP = Instant.parse("2026-01-02T00:00:00Z");

    private Fixtures() {
    }

    static LicenseDocument document(String licenseId, int graceDays) {
        return new LicenseDocument(licenseId, "cust-42", "Acme GPU Clusters Ltd. — Zürich", "gpu-cluster",
                Map.of("mig", true, "fabric-manager", false), Map.of("gpus", new BigDecimal("64"), "nodes", new BigDecimal("8"),
                        "sessions", new BigDecimal("1000000"), "cuda.shares", new BigDecimal("2.5")),
                10, ISSUED, NBF, EXP, graceDays);
    }

    static LicenseDocument document() {
        return document(UUID.randomUUID().toString(), 14);
    }
}
