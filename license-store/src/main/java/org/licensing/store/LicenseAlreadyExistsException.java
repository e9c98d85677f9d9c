package org.licensing.store;

/** A create found an item with the same id: nothing was written. */
public class LicenseAlreadyExistsException extends RuntimeException {
    public LicenseAlreadyExistsException(String licenseId) {
        super("license " + licenseId + " already exists");
    }
}
