package org.licensing.issuer.fixtureb;

import org.licensing.issuer.fixturea.CallsB;

/** The other half of the deliberate package cycle of ArchitectureRulesTest. */
public class CallsA {

    public int back() {
        return 1;
    }

    public int forth() {
        return new CallsB().cycle();
    }
}
