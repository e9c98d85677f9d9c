package org.licensing.issuer.usage;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * A relay checkout the issuer made (table {@code relay_checkouts}): the relay key it certified, kept so that the
 * site's usage reports, signed by that key, can be verified long after the file left.
 */
@Entity
@Table(name = "relay_checkouts")
public class RelayCheckout extends PanacheEntityBase {

    @Id
    @Column(name = "checkout_id")
    public UUID checkoutId;
    @Column(name = "license_id")
    public UUID licenseId;
    public String fingerprint;
    public long sequence;
    @Column(name = "relay_kid")
    public String relayKid;
    /** RFC 7638 thumbprint of the relay key: the identity of its report chain. */
    @Column(name = "relay_thumbprint")
    public String relayThumbprint;
    /** The public JWK as certified. */
    @Column(name = "relay_key")
    public String relayKey;
    @Column(name = "issued_at")
    public Instant issuedAt;
    public Instant until;
}
