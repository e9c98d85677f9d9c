package org.licensing.infra;

import software.constructs.Construct;

/**
 * One piece of {@link LicensingStack} (network, data, cluster, ...). Parts only group: they are left out of every
 * name CloudFormation sees ({@link FlatNames}), so a resource keeps the logical id it had when the stack was a single
 * class, and moving a resource between parts replaces nothing.
 */
abstract class Part extends Construct {

    Part(Construct scope, String id) {
        super(scope, id);
    }
}
