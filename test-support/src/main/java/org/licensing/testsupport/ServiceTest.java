package org.licensing.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The one way a service's {@code @QuarkusTest} attaches the harness: the back ends its module lists in the Maven
 * property {@code harness.backends} (e.g. {@code dynamodb,postgres}) and trust in {@link TestTokens}' signing key.
 * Every class of a module carries the same resources, so Quarkus starts once per module run.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
public @interface ServiceTest {
}
