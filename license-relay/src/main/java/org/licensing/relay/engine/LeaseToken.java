package org.licensing.relay.engine;

import com.nimbusds.jwt.JWTClaimsSet;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.licensing.relay.pool.Lease;

/**
 * The claims of a lease answer ({@code typ lease+jwt}, signed by the relay key). A node verifies the chain: this
 * JWS with the {@code relay_key} certified in the checkout ({@code chk}), the checkout with its pinned vendor keys.
 *
 * <table>
 *   <caption>Claims of a lease</caption>
 *   <tr><th>Claim</th><th>Meaning</th></tr>
 *   <tr><td>{@code jti}</td><td>lease id</td></tr>
 *   <tr><td>{@code iat}, {@code exp}</td><td>answer time, the lease's end (s)</td></tr>
 *   <tr><td>{@code lease_until}</td><td>the lease's end (s); never past the checkout's end</td></tr>
 *   <tr><td>{@code nonce}, {@code fingerprint}</td><td>the node's nonce and fingerprint, echoed</td></tr>
 *   <tr><td>{@code quantities}</td><td>what the node holds, as JSON numbers (exact: at most 6 decimal places)</td></tr>
 *   <tr><td>{@code license_id}, {@code product}</td><td>the license and product</td></tr>
 *   <tr><td>{@code chk}, {@code site}</td><td>the checkout's id and the site fingerprint it is bound to</td></tr>
 * </table>
 */
public final class LeaseToken {

    public static final String TYP = "lease+jwt";

    private LeaseToken() {
    }

    static JWTClaimsSet claims(Lease lease, String nonce, Instant now, String licenseId, String product,
            String checkoutId, String site) {
        Map<String, Object> q = new LinkedHashMap<>();
        lease.quantities().forEach((k, v) -> q.put(k, v));
        return new JWTClaimsSet.Builder()
                .jwtID(lease.id().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(lease.until()))
                .claim("lease_until", lease.until().getEpochSecond())
                .claim("nonce", nonce)
                .claim("fingerprint", lease.node())
                .claim("quantities", q)
                .claim("license_id", licenseId)
                .claim("product", product)
                .claim("chk", checkoutId)
                .claim("site", site)
                .build();
    }

    /** Quantities of a parsed lease claim set, exact (a JSON double read back through its shortest decimal). */
    public static Map<String, BigDecimal> quantities(JWTClaimsSet claims) {
        Map<String, BigDecimal> out = new java.util.TreeMap<>();
        if (claims.getClaim("quantities") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k),
                    org.licensing.core.license.Entitlements.decimal(v, "quantities." + k)));
        }
        return out;
    }
}
