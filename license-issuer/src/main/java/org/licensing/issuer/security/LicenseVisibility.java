package org.licensing.issuer.security;

import jakarta.enterprise.context.ApplicationScoped;

import org.licensing.issuer.support.Ids;
import org.licensing.store.LicenseRecord;
import org.licensing.store.LicenseStore;
import org.licensing.support.async.Async;
import org.licensing.support.problem.Problems;

import io.smallrye.mutiny.Uni;

/**
 * The one check of whether a caller may see a license, for every feature that reads one (licenses, their audit
 * trail): a portal token sees only its own customer's licenses. Another customer's license and an unknown one get
 * the same 404, so license ids never leak across customers.
 */
@ApplicationScoped
public class LicenseVisibility {

    private final LicenseStore store;

    public LicenseVisibility(LicenseStore store) {
        this.store = store;
    }

    /**
     * The license {@code licenseId} names, if {@code caller} may see it.
     *
     * @return a failed Uni with a 404 problem when the id is malformed, unknown or another customer's
     */
    public Uni<LicenseRecord> visibleLicense(String licenseId, Caller caller) {
        return Ids.parseUuid(licenseId)
                .map(id -> Async.of(() -> store.find(id.toString())).map(found -> found
                        .filter(r -> caller.canSee(r.customerId()))
                        .orElseThrow(() -> Problems.notFound("License " + licenseId))))
                .orElseGet(() -> Uni.createFrom().failure(Problems.notFound("License " + licenseId)));
    }
}
