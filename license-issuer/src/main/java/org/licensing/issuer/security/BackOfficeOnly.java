package org.licensing.issuer.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

/**
 * An operation (or every operation of a resource) for back-office tokens only: a portal token gets 403 whatever its
 * roles ({@link BackOfficeOnlyFilter}), before the operation runs. Said once here instead of in every method.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface BackOfficeOnly {
}
