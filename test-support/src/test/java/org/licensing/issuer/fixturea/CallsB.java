package org.licensing.issuer.fixturea;

import org.licensing.issuer.fixtureb.CallsA;
import org.licensing.store.LicenseRecord;
import org.licensing.validator.fixture.ValidatorThing;

/** A deliberate violation of every architecture rule, for ArchitectureRulesTest (never on a main class path). */
public class CallsB {

    public int cycle() {
        return new CallsA().back();
    }

    public String reachesIntoAnotherService() {
        return new ValidatorThing().toString();
    }

    public LicenseRecord positional() {
        return new LicenseRecord(null, null, null, null, null, null, null, null, null, null, null, 0, 0, 0, 0, 0,
                null, null, null, null, 0, null, 0, 0, null, 0, null);
    }
}
