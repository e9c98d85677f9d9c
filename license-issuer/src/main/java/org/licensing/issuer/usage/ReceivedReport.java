package org.licensing.issuer.usage;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * An accepted usage report (table {@code usage_reports}): what it signed, its place in the chain of its relay key,
 * and who handed it in. Never changed after it is written.
 */
@Entity
@Table(name = "usage_reports")
public class ReceivedReport extends PanacheEntityBase {

    @Id
    public UUID id;
    @Column(name = "license_id")
    public UUID licenseId;
    @Column(name = "relay_thumbprint")
    public String relayThumbprint;
    @Column(name = "relay_kid")
    public String relayKid;
    public String fingerprint;
    /** The report's own {@code jti}. */
    @Column(name = "report_id")
    public UUID reportId;
    @Column(name = "report_seq")
    public long sequence;
    @Column(name = "prev_report")
    public String previousHash;
    @Column(name = "report_hash")
    public String reportHash;
    @Column(name = "period_from")
    public Instant periodFrom;
    @Column(name = "period_to")
    public Instant periodTo;
    @Column(name = "checkout_id")
    public UUID checkoutId;
    /** The report's {@code iat}: when the relay made it (the site's clock). */
    @Column(name = "made_at")
    public Instant madeAt;
    @Column(name = "received_at")
    public Instant receivedAt;
    @Column(name = "received_by")
    public String receivedBy;
    /** Quantity-seconds per quantity, JSON object of decimal strings. */
    public String totals;
    /** Highest concurrent use per quantity, JSON object of decimal strings. */
    public String peak;
    @Column(name = "log_seq")
    public long logSeq;
    @Column(name = "log_hash")
    public String logHash;
    /** The report as signed (compact JWS): the evidence. */
    public String jws;
}
