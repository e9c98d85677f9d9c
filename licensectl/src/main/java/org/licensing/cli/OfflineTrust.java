package org.licensing.cli;

import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;

import org.licensing.core.document.LicenseFileException;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import picocli.CommandLine.Option;

/**
 * What an offline verification trusts and when it checks ({@code verify}, {@code checkouts verify}): the vendor's
 * public keys from a file, the instant, the issuer, the clock skew. A picocli mixin.
 */
final class OfflineTrust {

    @Option(names = "--jwks", required = true, paramLabel = "KEYS_FILE", description = "Trusted public keys: the"
            + " issuer's JWK Set (`licensectl jwks --out FILE`) or one pinned public JWK")
    Path jwks;

    @Option(names = "--at", paramLabel = "INSTANT", description = "Check validity at this instant (default: now)")
    Instant at;

    @Option(names = "--issuer", paramLabel = "ISS", description = "Also require this iss claim")
    String issuer;

    @Option(names = "--clock-skew", paramLabel = "SECONDS", defaultValue = "0", description = "Tolerance on nbf/exp"
            + " (default: ${DEFAULT-VALUE})")
    long clockSkewSeconds;

    Instant now(Cli cli) {
        return at != null ? at : cli.clock().instant();
    }

    Duration skew(BaseCommand command) {
        if (clockSkewSeconds < 0) {
            throw command.usage("--clock-skew must not be negative");
        }
        return Duration.ofSeconds(clockSkewSeconds);
    }

    /**
     * The trusted public keys: a JWK Set (the issuer's {@code /.well-known/jwks.json}) or one pinned public JWK;
     * private keys are refused.
     */
    JWKSet keys() {
        String text = VerifyCommand.read(jwks, "key file");
        JWKSet keys;
        try {
            keys = text.contains("\"keys\"") ? JWKSet.parse(text) : new JWKSet(JWK.parse(text));
        } catch (ParseException e) {
            throw new CliException(ExitCodes.USAGE, "--jwks " + jwks + " is neither a JWK Set nor a JWK: "
                    + e.getMessage());
        }
        if (keys.getKeys().stream().anyMatch(JWK::isPrivate)) {
            throw new CliException(ExitCodes.USAGE, "--jwks " + jwks + " holds a private key: give the public keys");
        }
        return keys;
    }

    /** Exit 7 for a file that cannot be trusted; with {@code --json} a report of why on stdout too. */
    static CliException rejected(BaseCommand command, String what, LicenseFileException e) {
        if (command.jsonOutput) {
            ObjectNode o = command.cli.json().createObjectNode();
            o.put("status", "REJECTED").put("usable", false).put("reason", e.reason().name())
                    .put("detail", e.getMessage());
            command.cli.printJson(o);
        }
        return new CliException(ExitCodes.REJECTED, what + " rejected (" + e.reason() + "): " + e.getMessage());
    }
}
