package org.licensing.testsupport;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Bearer tokens for tests and local runs: an RSA key pair generated at run time (never committed), the
 * SmallRye JWT config that trusts it, and a builder for tokens with roles and a customer claim.
 */
public final class TestTokens {

    public static final String ISSUER = "https://auth.licensing.test";
    public static final String AUDIENCE = "license-issuer";
    public static final String ROLES_CLAIM = "groups";
    public static final String CUSTOMER_CLAIM = "customer_id";

    private static final TestTokens SHARED = new TestTokens();

    private final KeyPair keyPair;

    private TestTokens() {
        this.keyPair = generateRsa();
    }

    public static TestTokens shared() {
        return SHARED;
    }

    /** Config that makes SmallRye JWT trust this key, issuer and audience. */
    /** Trust in this key and issuer, leaving the audience to the service's own configuration. */
    public Map<String, String> trustConfig() {
        return Map.of(
                "mp.jwt.verify.publickey", publicKeyPem(),
                "mp.jwt.verify.issuer", ISSUER);
    }

    public Map<String, String> quarkusConfig() {
        return Map.of(
                "mp.jwt.verify.publickey", publicKeyPem(),
                "mp.jwt.verify.issuer", ISSUER,
                "mp.jwt.verify.audiences", AUDIENCE);
    }

    public String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keyPair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** A back-office token with the given roles, valid for an hour. */
    public String backOffice(String subject, String... roles) {
        return builder().subject(subject).roles(roles).sign();
    }

    /** A portal token: scoped to one customer. */
    public String portal(String subject, String customerId, String... roles) {
        return builder().subject(subject).customer(customerId).roles(roles).sign();
    }

    public Builder builder() {
        return new Builder(this);
    }

    /**
     * A token of exactly {@code claims} (none added: no {@code aud}, {@code groups} or {@code upn} unless given),
     * signed RS256 with the trusted key: the shape of another identity provider's tokens, e.g. Cognito's. Times
     * ({@code iat}, {@code exp}) in epoch seconds.
     */
    public String sign(Map<String, Object> claims) {
        JWTClaimsSet.Builder set = new JWTClaimsSet.Builder();
        claims.forEach(set::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).build(), set.build());
        try {
            jwt.sign(new RSASSASigner(keyPair.getPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** Fluent token builder; every field can be spoiled for negative tests. */
    public static final class Builder {
        private final TestTokens tokens;
        private String subject = "tester@vendor.example";
        private String issuer = ISSUER;
        private String audience = AUDIENCE;
        private List<String> roles = List.of();
        private String customerId;
        private Instant issuedAt = Instant.now();
        private Duration lifetime = Duration.ofHours(1);
        private RSAPrivateKey signingKey;

        private Builder(TestTokens tokens) {
            this.tokens = tokens;
        }

        public Builder subject(String value) { subject = value; return this; }
        public Builder issuer(String value) { issuer = value; return this; }
        public Builder audience(String value) { audience = value; return this; }
        public Builder roles(String... value) { roles = List.of(value); return this; }
        public Builder customer(String value) { customerId = value; return this; }
        public Builder issuedAt(Instant value) { issuedAt = value; return this; }
        public Builder lifetime(Duration value) { lifetime = value; return this; }

        /** Signs with a key the service does not trust. */
        public Builder signedByAnotherKey() {
            signingKey = (RSAPrivateKey) generateRsa().getPrivate();
            return this;
        }

        public String sign() {
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                    .jwtID(UUID.randomUUID().toString())
                    .subject(subject)
                    .issuer(issuer)
                    .audience(audience)
                    .issueTime(Date.from(issuedAt))
                    .expirationTime(Date.from(issuedAt.plus(lifetime)))
                    .claim("upn", subject)
                    .claim(ROLES_CLAIM, roles);
            if (customerId != null) {
                claims.claim(CUSTOMER_CLAIM, customerId);
            }
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(),
                    claims.build());
            try {
                jwt.sign(new RSASSASigner(signingKey != null ? signingKey : tokens.keyPair.getPrivate()));
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
            return jwt.serialize();
        }
    }

    private static KeyPair generateRsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
