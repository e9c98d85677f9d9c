package org.licensing.support.jwt;

import java.security.Permission;
import java.security.Principal;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.Credential;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.json.JsonString;

/**
 * Cognito user-pool access tokens for the APIs (the back office calls them with the signed-in user's token). Such a
 * token has no {@code aud}: it names the app client in {@code client_id} and says {@code token_use=access} (an ID
 * token of the same pool has {@code aud} = the client and {@code token_use=id}). So, only when
 * {@value #CLIENT_IDS} is set, the audience check is replaced by: {@code token_use} is {@code access} and
 * {@code client_id} is one of the configured clients, else 401. The user is {@code username}: the principal's name
 * and the identity attribute {@value #ACTOR_ATTRIBUTE} (the audit actor). Groups ({@code cognito:groups}) become
 * API roles through {@code smallrye.jwt.path.groups} and {@code quarkus.http.auth.roles-mapping.*}, plain config.
 *
 * <p>A plain class, not a bean: this jar is in the validator too, which has no JWT. Each service that
 * authenticates wires it into a {@code SecurityIdentityAugmentor} of its own.
 */
public final class CognitoAccessTokens {

    /** The app client ids whose access tokens are accepted without {@code aud}; unset: mode off. */
    public static final String CLIENT_IDS = "licensing.jwt.cognito.client-ids";
    /** SmallRye JWT's audience check; must be unset in this mode (Cognito access tokens would all fail it). */
    public static final String AUDIENCES = "mp.jwt.verify.audiences";
    /** Identity attribute holding the user name of a Cognito token. */
    public static final String ACTOR_ATTRIBUTE = "licensing.actor";

    static final String CLIENT_ID = "client_id";
    static final String TOKEN_USE = "token_use";
    static final String USERNAME = "username";

    private final Set<String> clientIds;

    public CognitoAccessTokens(Set<String> clientIds) {
        if (clientIds.isEmpty() || clientIds.stream().anyMatch(id -> id == null || id.isBlank())) {
            throw new IllegalArgumentException(CLIENT_IDS + " names no client");
        }
        this.clientIds = Set.copyOf(clientIds);
    }

    /**
     * The check {@code config} asks for: empty when {@value #CLIENT_IDS} is unset (tokens are checked as before,
     * audience included).
     *
     * @throws IllegalStateException when {@value #CLIENT_IDS} is set and {@value #AUDIENCES} too: the two modes
     *         exclude each other, and the start fails rather than every Cognito call (401)
     */
    public static Optional<CognitoAccessTokens> fromConfig(Config config) {
        return of(config.getOptionalValues(CLIENT_IDS, String.class).map(Set::copyOf), config);
    }

    /** {@link #fromConfig} with the client ids as {@link CognitoConfig} read them. */
    public static Optional<CognitoAccessTokens> of(Optional<Set<String>> ids, Config config) {
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        if (config.getOptionalValues(AUDIENCES, String.class).isPresent()) {
            throw new IllegalStateException(CLIENT_IDS + " is set, so " + AUDIENCES
                    + " must be unset (empty, e.g. MP_JWT_VERIFY_AUDIENCES=\"\"): Cognito access tokens carry no aud");
        }
        return Optional.of(new CognitoAccessTokens(Set.copyOf(ids.get())));
    }

    public Set<String> clientIds() {
        return clientIds;
    }

    /**
     * {@code identity} with the user name as principal name and actor, if its token is an access token of a
     * configured client.
     *
     * @throws AuthenticationFailedException (401) otherwise
     */
    public SecurityIdentity check(SecurityIdentity identity) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return identity;
        }
        if (!"access".equals(text(token, TOKEN_USE))) {
            throw new AuthenticationFailedException("not an access token (token_use)");
        }
        String clientId = text(token, CLIENT_ID);
        if (clientId == null || !clientIds.contains(clientId)) {
            throw new AuthenticationFailedException("token issued to another client (client_id)");
        }
        String username = text(token, USERNAME);
        if (username == null || username.isBlank()) {
            throw new AuthenticationFailedException("the token names no user (username)");
        }
        return new UserIdentity(identity, new UserToken(token, username));
    }

    private static String text(JsonWebToken token, String claim) {
        Object value = token.getClaim(claim);
        return value instanceof JsonString json ? json.getString() : value instanceof String s ? s : null;
    }

    /** The token under the user's name (no upn or preferred_username in a Cognito token: it would be {@code sub}). */
    private record UserToken(JsonWebToken token, String username) implements JsonWebToken {
        @Override
        public String getName() {
            return username;
        }

        @Override
        public Set<String> getClaimNames() {
            return token.getClaimNames();
        }

        @Override
        public <T> T getClaim(String claimName) {
            return token.getClaim(claimName);
        }
    }

    /** The identity as authenticated, with the renamed principal and the actor attribute. */
    private static final class UserIdentity implements SecurityIdentity {
        private final SecurityIdentity delegate;
        private final UserToken principal;
        private final Map<String, Object> attributes;

        UserIdentity(SecurityIdentity delegate, UserToken principal) {
            this.delegate = delegate;
            this.principal = principal;
            Map<String, Object> copy = new HashMap<>(delegate.getAttributes());
            copy.put(ACTOR_ATTRIBUTE, principal.username());
            this.attributes = Collections.unmodifiableMap(copy);
        }

        @Override
        public Principal getPrincipal() {
            return principal;
        }

        @Override
        public boolean isAnonymous() {
            return false;
        }

        @Override
        public Set<String> getRoles() {
            return delegate.getRoles();
        }

        @Override
        public boolean hasRole(String role) {
            return delegate.hasRole(role);
        }

        @Override
        public Set<Permission> getPermissions() {
            return delegate.getPermissions();
        }

        @Override
        public <T extends Credential> T getCredential(Class<T> type) {
            return delegate.getCredential(type);
        }

        @Override
        public Set<Credential> getCredentials() {
            return delegate.getCredentials();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T getAttribute(String name) {
            return (T) attributes.get(name);
        }

        @Override
        public Map<String, Object> getAttributes() {
            return attributes;
        }

        @Override
        public Uni<Boolean> checkPermission(Permission permission) {
            return delegate.checkPermission(permission);
        }
    }
}
