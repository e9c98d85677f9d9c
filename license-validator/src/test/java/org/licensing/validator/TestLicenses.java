package org.licensing.validator;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.licensing.core.key.LicenseKey;
import org.licensing.store.Activation;
import org.licensing.core.license.Entitlements;
import org.licensing.store.LicenseRecord;
import org.licensing.core.license.LicenseStatus;
import org.licensing.store.LicenseStore;

/** Writes license records the way the issuer does (LicenseStore), with a fresh key each. */
public final class TestLicenses {

    public static final String PRODUCT = "gpu-orchestrator";

    private TestLicenses() {
    }

    /** A key and the record stored for it. */
    public record Issued(LicenseKey key, LicenseRecord record) {
        public String keyText() {
            return key.text();
        }

        public String id() {
            return record.licenseId();
        }
    }


    public static Issued issue(LicenseStore store, UnaryOperator<Template> customize) {
        return issue(store, LicenseKey.generate(UUID.randomUUID()), customize);
    }

    public static Issued issueWithKey(LicenseStore store, LicenseKey key) {
        return issue(store, key, t -> t);
    }

    public static Issued issue(LicenseStore store, LicenseKey key, UnaryOperator<Template> customize) {
        Template t = customize.apply(new Template());
        Instant now = TestTime.now();
        LicenseRecord record = LicenseRecord.builder()
                .licenseId(key.licenseId().toString()).keyHash(key.secretHash())
                .customerId("cust-1").customerName("Acme GPU")
                .productCode(t.productCode).productName("GPU Orchestrator").policyId("policy-1")
                .status(t.status)
                .issuedAt(now.minus(Duration.ofDays(1)))
                .notBefore(t.notBefore == null ? now.minus(Duration.ofDays(1)) : t.notBefore)
                .expiresAt(t.expiresAt == null ? now.plus(Duration.ofDays(30)) : t.expiresAt)
                .graceDays(t.graceDays).maxActivations(t.maxActivations).heartbeatHours(t.heartbeatHours)
                .maxDeactivationsPerDay(t.maxDeactivationsPerDay).overagePercent(t.overagePercent)
                .entitlements(new Entitlements(Map.of("mig", true), t.limits))
                .financeEmails(List.of("finance@acme.test")).activations(t.activations)
                .updatedAt(now)
                .build();
        store.create(record).join();
        return new Issued(key, record);
    }

    public static Issued issue(LicenseStore store) {
        return issue(store, t -> t);
    }

    /** Issuer-style change (version-checked update of issuer-owned fields). */
    public static LicenseRecord setStatus(LicenseStore store, String licenseId, LicenseStatus status) {
        LicenseRecord current = store.find(licenseId).join().orElseThrow();
        LicenseRecord changed = current.withStatus(status, TestTime.now());
        store.update(changed).join();
        return changed;
    }

    /** Mutable knobs of a test license. */
    public static final class Template {
        public String productCode = PRODUCT;
        public LicenseStatus status = LicenseStatus.ACTIVE;
        public Instant notBefore;
        public Instant expiresAt;
        public int graceDays = 7;
        /** 0: no machine lock, so validations need no fingerprint; machine tests set a limit. */
        public int maxActivations;
        public int heartbeatHours;
        public int maxDeactivationsPerDay;
        public int overagePercent = 25;
        public Map<String, BigDecimal> limits = Map.of("gpus", BigDecimal.valueOf(8), "nodes", BigDecimal.valueOf(2));
        public Map<String, Activation> activations = Map.of();
    }
}
