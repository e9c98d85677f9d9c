package org.licensing.issuer.catalog;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.licensing.core.license.Entitlements;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** Defaults a license is issued from; every field can be overridden per license. */
@Entity
@Table(name = "policies")
public class Policy extends PanacheEntityBase {
    public static final int DEFAULT_MAX_CHECKOUT_DAYS = 30;

    @Id
    public UUID id;
    @Column(name = "product_code")
    public String productCode;
    public String name;
    @Column(name = "duration_days")
    public int durationDays;
    @Column(name = "grace_days")
    public int graceDays;
    @Column(name = "max_activations")
    public int maxActivations;
    @Column(name = "heartbeat_hours")
    public int heartbeatHours;
    @Column(name = "max_deactivations_per_day")
    public int maxDeactivationsPerDay;
    @Column(name = "overage_percent")
    public int overagePercent;
    /** The longest checkout (air-gapped license file) of a license of this policy, in days. */
    @Column(name = "max_checkout_days")
    public int maxCheckoutDays;
    /** Whether license files bound to no machine ({@code GET /v1/licenses/{id}/file}) exist for its licenses. */
    @Column(name = "allow_unbound_files")
    public boolean allowUnboundFiles;
    /** Whether a site's relay checkout is renewed only after its usage reports reach the previous one's issue time. */
    @Column(name = "require_usage_reports")
    public boolean requireUsageReports;
    @Convert(converter = EntitlementsConverter.class)
    public Entitlements entitlements;
    @Column(name = "created_at")
    public Instant createdAt;
}
