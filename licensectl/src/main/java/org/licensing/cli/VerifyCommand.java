package org.licensing.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.licensing.core.document.LicenseDocument;
import org.licensing.core.document.LicenseFileException;
import org.licensing.core.document.LicenseFiles;
import org.licensing.core.document.VerifiedLicense;
import org.licensing.core.key.LicenseKey;
import org.licensing.core.key.MalformedLicenseKeyException;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "verify", description = {"Verify a license file offline against a JWK Set file (no network).",
        "Prints VALID, EXPIRED_IN_GRACE, EXPIRED or NOT_YET_VALID and the claims.",
        "Exit 0 only when usable (VALID, EXPIRED_IN_GRACE); 6 when genuine but not usable;",
        "7 when the file cannot be trusted (signature, key, format, wrong license key)."})
final class VerifyCommand extends BaseCommand {

    private static final int MAX_FILE_CHARS = 128 * 1024;

    @Parameters(paramLabel = "FILE", description = "License file: signed (JWS) or encrypted (JWE)")
    Path file;

    @Option(names = "--license-key", paramLabel = "KEY", description = "Decrypts an encrypted file; '-' reads it from"
            + " standard input")
    String licenseKey;

    @Mixin
    OfflineTrust trust;

    @Override
    public Integer call() {
        Duration skew = trust.skew(this);
        String text = read(file, "license file");
        JWKSet keys = trust.keys();
        Instant now = trust.now(cli);
        VerifiedLicense verified;
        try {
            String jws = text;
            if (text.split("\\.", -1).length == 5) {
                if (licenseKey == null) {
                    throw usage(file + " is an encrypted license file: give --license-key");
                }
                LicenseKey key;
                try {
                    key = LicenseKey.parse(cli.valueOrStdin(licenseKey, "the license key"));
                } catch (MalformedLicenseKeyException e) {
                    throw usage("--license-key: " + e.getMessage());
                }
                jws = LicenseFiles.decrypt(text, key);
            }
            verified = LicenseFiles.verify(jws, keys, trust.issuer, now, skew);
        } catch (LicenseFileException e) {
            throw OfflineTrust.rejected(this, "License file", e);
        }
        print(verified, now);
        return verified.status().usable() ? ExitCodes.OK : ExitCodes.NOT_USABLE;
    }

    private void print(VerifiedLicense v, Instant now) {
        LicenseDocument d = v.document();
        if (jsonOutput) {
            ObjectNode o = cli.json().createObjectNode();
            o.put("status", v.status().name()).put("usable", v.status().usable()).put("checkedAt", now.toString())
                    .put("kid", v.kid()).put("graceRemainingSeconds", v.graceRemaining().toSeconds());
            ObjectNode c = o.putObject("license");
            c.put("licenseId", d.licenseId()).put("customerId", d.customerId()).put("customerName", d.customerName())
                    .put("productCode", d.productCode()).put("issuedAt", d.issuedAt().toString())
                    .put("notBefore", d.notBefore().toString()).put("expiresAt", d.expiresAt().toString())
                    .put("graceDays", d.graceDays()).put("graceEndsAt", d.graceEndsAt().toString())
                    .put("maxActivations", d.maxActivations());
            ObjectNode f = c.putObject("features");
            d.features().forEach(f::put);
            ObjectNode l = c.putObject("limits");
            d.limits().forEach(l::put);
            cli.printJson(o);
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(Render.row("Status", v.status().name() + (v.status().usable() ? "" : " (not usable)")));
        if (!v.graceRemaining().isZero()) {
            rows.add(Render.row("Grace left", human(v.graceRemaining()) + " (until " + d.graceEndsAt() + ")"));
        }
        rows.add(Render.row("Checked at", now.toString()));
        rows.add(Render.row("Signed by", "kid " + v.kid()));
        rows.add(Render.row("License", d.licenseId()));
        rows.add(Render.row("Customer", d.customerName() == null ? d.customerId()
                : d.customerName() + " (" + d.customerId() + ")"));
        rows.add(Render.row("Product", d.productCode()));
        rows.add(Render.row("Issued", d.issuedAt().toString()));
        rows.add(Render.row("Valid from", d.notBefore().toString()));
        rows.add(Render.row("Expires", d.expiresAt().toString()));
        rows.add(Render.row("Grace days", d.graceDays() + " (ends " + d.graceEndsAt() + ")"));
        rows.add(Render.row("Activations", d.maxActivations() == 0 ? "unlimited" : "at most " + d.maxActivations()));
        rows.add(Render.row("Features", Render.map(d.features())));
        rows.add(Render.row("Limits", Render.map(d.limits())));
        Render.fields(cli.out(), rows);
    }

    static String human(Duration d) {
        long days = d.toDays();
        long hours = d.minusDays(days).toHours();
        return days + "d " + hours + "h";
    }

    /** A local file's text (stripped), at most {@value #MAX_FILE_CHARS} bytes; usage error otherwise. */
    static String read(Path p, String what) {
        try {
            if (Files.size(p) > MAX_FILE_CHARS) {
                throw new CliException(ExitCodes.USAGE, what + " " + p + " is larger than " + MAX_FILE_CHARS
                        + " bytes");
            }
            return Files.readString(p).strip();
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.USAGE, what + " " + p + " does not exist");
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "Cannot read " + what + " " + p + ": " + e.getMessage());
        }
    }
}
