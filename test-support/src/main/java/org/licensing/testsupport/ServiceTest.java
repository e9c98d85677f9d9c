package org.licensing.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Stereotype;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The one way a service's {@code @QuarkusTest} attaches the harness: the back ends its module lists in the Maven
 * property {@code harness.backends} (e.g. {@code dynamodb,postgres}) and trust in {@link TestTokens}' signing key.
 * Every class of a module carries the same resources, so Quarkus starts once per module run. A CDI stereotype (with
 * this jar's beans.xml), because Quarkus makes test classes beans only through annotations it sees as bean-defining:
 * a plain meta-annotation from a dependency is not.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Stereotype
@Dependent
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
public @interface ServiceTest {
}
