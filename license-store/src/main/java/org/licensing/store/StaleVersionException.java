package org.licensing.store;

/** A conditional write found another version than the one the change was based on. */
public class StaleVersionException extends RuntimeException {
    public StaleVersionException(String licenseId, long expectedVersion) {
        super("license " + licenseId + " is no longer at version " + expectedVersion);
    }
}
