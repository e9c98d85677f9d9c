package org.licensing.client;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.licensing.core.document.LicenseDocument;
import org.licensing.core.key.LicenseKey;

/**
 * Answers from a license file (air-gapped installs), read again at every answer (an operator may replace it) and
 * verified again only when its text changed. Thread-safe.
 */
final class LicenseFileMode {

    /** Largest license file read. */
    static final int MAX_LICENSE_FILE = 128 * 1024;

    private final Path file; // null: the text was given
    private final String fileText;
    private final String productCode;
    private final LicenseKey key;
    private final Trust trust;
    private final TrustedClock clock;
    private final Object lock = new Object();
    private String lastText;
    private LicenseFile lastFile;

    LicenseFileMode(Path file, String fileText, String productCode, LicenseKey key, Trust trust, TrustedClock clock) {
        this.file = file;
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
        LicenseDocument d = f.document();
        if (!d.licenseId().equalsIgnoreCase(key.licenseId().toString())) {
            return invalid("The license file is for another license (" + d.licenseId() + ")");
        }
        Instant now = clock.now();
        LicenseCode code;
        String detail;
        if (!d.productCode().equals(productCode)) {
            code = LicenseCode.PRODUCT_MISMATCH;
            detail = "The license file is for product " + d.productCode();
        } else if (now.plus(clock.tolerance()).isBefore(d.notBefore())) {
            code = LicenseCode.NOT_YET_VALID;
            detail = "The license starts at " + d.notBefore();
        } else if (now.isBefore(d.expiresAt())) {
            code = LicenseCode.VALID;
            detail = "The license file is valid until " + d.expiresAt();
        } else if (d.graceDays() > 0 && now.isBefore(d.graceEndsAt())) {
            code = LicenseCode.EXPIRED_IN_GRACE;
            detail = "The license expired at " + d.expiresAt() + "; its grace period ends " + d.graceEndsAt();
        } else {
            code = LicenseCode.EXPIRED;
            detail = "The license expired at " + d.expiresAt();
        }
        LicenseAnswer answer = new LicenseAnswer(code, detail, LicenseAnswer.Source.LICENSE_FILE, d.licenseId(),
                f.entitlements(), d.issuedAt(), code.usable() ? d.graceEndsAt() : null, d.expiresAt(), null);
        return OfflineRules.apply(answer, d.issuedAt(), used, false, clock);
    }

    private LicenseFile verified(String text) throws Untrusted {
        synchronized (lock) {
            if (!text.equals(lastText)) {
                lastFile = LicenseFile.read(text, key, trust);
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
