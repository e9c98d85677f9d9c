package org.licensing.validator;

import org.licensing.testsupport.LocalBackendsResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/** One test resource for the whole module (DynamoDB only), so Quarkus starts once for all test classes. */
@QuarkusTestResource(value = LocalBackendsResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "backends", value = "dynamodb"))
public final class Backends {
    private Backends() {
    }
}
