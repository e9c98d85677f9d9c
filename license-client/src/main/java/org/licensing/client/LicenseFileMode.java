package org.licensing.client;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.licensing.core.checkout.CheckoutDocument;
import org.licensing.core.document.LicenseDocument;
import org.licensing.core.key.LicenseKey;

/**
 * Answers from a license file (air-gapped installs): a checkout for this machine ({@link LicenseFile}), read again at
 * every answer (an operator may replace it) and verified again only when its text changed. The answer's lease is the
 * checkout's end. Thread-safe.
 */
final class LicenseFileMode {

    /** Largest license file read. */
    static final int MAX_LICENSE_FILE = 128 * 1024;

    private final Path file; // null: the text was given
    private final String fileText;
    private final String productCode;
    private final LicenseKey key;
    private final Fingerprints fingerprints;
    private final Trust trust;
    private final TrustedClock clock;
    private final Returns returned;
    private final Object lock = new Object();
    private String lastText;
    private LicenseFile lastFile;

    LicenseFileMode(Path file, String fileText, String productCode, LicenseKey key, Fingerprints fingerprints,
            Trust trust, TrustedClock clock, Returns returned) {
        this.file = file;
        this.fingerprints = fingerprints;
        this.returned = returned;
        this.fileText = fileText;
        this.productCode = productCode;
        this.key = key;
        this.trust = trust;
        this.clock = clock;
    }

    LicenseAnswer answer(Map<String, BigDecimal> used) {
        String text;
        try {
            text = fileText != null ? fileText : read(file);
        } catch (IOException e) {
            return LicenseAnswer.unsigned(LicenseCode.UNCONFIRMED, "The license file cannot be read: " + e);
        }
        LicenseFile f;
        try {
            f = verified(text);
        } catch (Untrusted u) {
            return invalid("The license file was rejected: " + u.getMessage());
        }
        CheckoutDocument c = f.checkout();
        LicenseDocument d = c.license();
        if (returned.isReturned(c)) {
            return invalid("The license file's checkout " + c.checkoutId() + " was returned from this machine: ask"
                    + " the vendor for a new checkout");
        }
        // A newer checkout (higher sequence) is the vendor's later word: its iat resets the trusted time.
        clock.resetIfNewer(c.sequence(), c.issuedAt());
        Instant now = clock.now();
        LicenseCode code;
        String detail;
        if (!d.productCode().equals(productCode)) {
            code = LicenseCode.PRODUCT_MISMATCH;
            detail = "The license file is for product " + d.productCode();
        } else if (now.plus(clock.tolerance()).isBefore(d.notBefore())) {
            code = LicenseCode.NOT_YET_VALID;
            detail = "The license starts at " + d.notBefore();
        } else if (!now.isBefore(c.until())) {
            boolean licenseOver = !now.isBefore(d.graceEndsAt());
            code = licenseOver ? LicenseCode.EXPIRED : LicenseCode.OFFLINE_EXPIRED;
            detail = licenseOver ? "The license expired at " + d.expiresAt()
                    : "The checkout ended at " + c.until() + ": send the vendor a checkout request for a new one";
        } else if (now.isBefore(d.expiresAt())) {
            code = LicenseCode.VALID;
            detail = "The license file is valid until " + c.until() + " on this machine (checkout " + c.sequence()
                    + "; the license runs until " + d.expiresAt() + ")";
        } else {
            code = LicenseCode.EXPIRED_IN_GRACE;
            detail = "The license expired at " + d.expiresAt() + "; its grace period ends " + d.graceEndsAt()
                    + " (this checkout ends " + c.until() + ")";
        }
        LicenseAnswer answer = new LicenseAnswer(code, detail, LicenseAnswer.Source.LICENSE_FILE, d.licenseId(),
                f.entitlements(), c.issuedAt(), code.usable() ? c.until() : null, d.expiresAt(), null);
        return OfflineRules.apply(answer, c.issuedAt(), c.until(), used, false, clock);
    }

    /** The checkout in the license file now, verified, or null when there is none usable. */
    CheckoutDocument checkout() {
        try {
            return verified(fileText != null ? fileText : read(file)).checkout();
        } catch (IOException | Untrusted e) {
            return null;
        }
    }

    private LicenseFile verified(String text) throws Untrusted {
        synchronized (lock) {
            if (!text.equals(lastText)) {
                lastFile = LicenseFile.read(text, key, fingerprints.get(), trust, clock.now());
                lastText = text;
            }
            return lastFile;
        }
    }

    static LicenseAnswer invalid(String detail) {
        return new LicenseAnswer(LicenseCode.INVALID_LICENSE_FILE, detail, LicenseAnswer.Source.LICENSE_FILE, null,
                null, null, null, null, null);
    }

    /** The file's text, refused when larger than {@link #MAX_LICENSE_FILE} bytes. */
    static String read(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_LICENSE_FILE + 1);
        }
        if (bytes.length > MAX_LICENSE_FILE) {
            throw new IOException("larger than " + MAX_LICENSE_FILE + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
