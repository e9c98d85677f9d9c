package org.licensing.relay.http;

import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.licensing.core.problem.ProblemType;

/**
 * The site's admin token for {@code /v1/admin/*}: a secret of at least {@value #MIN_LENGTH} characters configured
 * on the site ({@code licensing.relay.admin-token} or {@code -file}), sent as {@code Authorization: Bearer <token>}.
 * Compared in constant time over SHA-256 digests (equal lengths, so the compare reveals nothing about the length
 * either). Without a configured token the admin API is closed (403).
 */
@Singleton
public class AdminToken {

    static final int MIN_LENGTH = 32;

    private final byte[] digest; // null: no token configured

    AdminToken(RelayConfig config) {
        Optional<String> token = config.adminToken().filter(s -> !s.isBlank()).isPresent() || config.adminTokenFile()
                .isPresent() ? Optional.of(RelayService.secret(config.adminToken(), config.adminTokenFile(),
                        "licensing.relay.admin-token")) : Optional.empty();
        if (token.isPresent() && token.get().length() < MIN_LENGTH) {
            throw new IllegalStateException("licensing.relay.admin-token must be at least " + MIN_LENGTH
                    + " characters (for example: openssl rand -hex 32)");
        }
        this.digest = token.map(AdminToken::sha256).orElse(null);
    }

    /**
     * Checks an {@code Authorization} header.
     *
     * @throws io.quarkiverse.resteasy.problem.HttpProblem 403 when no token is configured, 401 when the header is
     *     missing or wrong
     */
    public void require(String authorization) {
        if (digest == null) {
            throw RelayProblems.of(ProblemType.FORBIDDEN, "The admin API is closed: no admin token is configured"
                    + " on this relay (licensing.relay.admin-token-file)");
        }
        String prefix = "Bearer ";
        boolean ok = authorization != null && authorization.regionMatches(true, 0, prefix, 0, prefix.length())
                && MessageDigest.isEqual(digest, sha256(authorization.substring(prefix.length()).strip()));
        if (!ok) {
            throw RelayProblems.builder(ProblemType.UNAUTHORIZED, "Send the site's admin token as"
                    + " Authorization: Bearer <token>").withHeader("WWW-Authenticate", "Bearer").build();
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
