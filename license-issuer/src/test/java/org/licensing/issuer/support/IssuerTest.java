package org.licensing.issuer.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.licensing.testsupport.LocalBackendsResource;
import org.licensing.testsupport.TestTokensResource;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every {@code @QuarkusTest} of this module: real DynamoDB (dynalite) and PostgreSQL (embedded), test tokens. The
 * same resource set on every class, so Quarkus starts once per run.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@QuarkusTest
@WithTestResource(value = LocalBackendsResource.class,
        initArgs = @ResourceArg(name = "backends", value = "dynamodb,postgres"))
@WithTestResource(TestTokensResource.class)
public @interface IssuerTest {
}
