package org.licensing.infra;

import java.util.List;
import java.util.Map;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cognito.AccountRecovery;
import software.amazon.awscdk.services.cognito.AuthFlow;
import software.amazon.awscdk.services.cognito.CognitoDomainOptions;
import software.amazon.awscdk.services.cognito.FeaturePlan;
import software.amazon.awscdk.services.cognito.ManagedLoginVersion;
import software.amazon.awscdk.services.cognito.Mfa;
import software.amazon.awscdk.services.cognito.MfaSecondFactor;
import software.amazon.awscdk.services.cognito.OAuthFlows;
import software.amazon.awscdk.services.cognito.OAuthScope;
import software.amazon.awscdk.services.cognito.OAuthSettings;
import software.amazon.awscdk.services.cognito.PasswordPolicy;
import software.amazon.awscdk.services.cognito.SignInAliases;
import software.amazon.awscdk.services.cognito.StandardThreatProtectionMode;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolClientIdentityProvider;
import software.amazon.awscdk.services.cognito.UserPoolClientOptions;
import software.amazon.awscdk.services.cognito.UserPoolDomain;
import software.amazon.awscdk.services.cognito.UserPoolDomainOptions;
import software.amazon.awscdk.services.cognito.UserPoolGroup;
import software.constructs.Construct;

/**
 * Back-office sign-in: a Cognito user pool whose groups are the back-office roles. Staff accounts only: no self
 * sign-up (an admin creates users and puts each in one group), TOTP MFA required, threat protection enforced (Plus
 * plan). One app client, the back office (a confidential client: quarkus-oidc runs the authorization code flow with
 * PKCE on the server): no implicit flow, no client credentials, no password or SRP API flows, sign-in only on the
 * hosted UI.
 */
final class BackOfficeSignIn extends Part {

    private final UserPool users;
    private final UserPoolClient client;
    private final UserPoolDomain domain;

    BackOfficeSignIn(Construct scope, String id, LicensingStackProps props) {
        super(scope, id);
        users = UserPool.Builder.create(this, "BackOfficeUsers")
                .userPoolName("licensing-back-office")
                .selfSignUpEnabled(false)
                .signInAliases(SignInAliases.builder().username(true).email(true).build())
                .signInCaseSensitive(false)
                .mfa(Mfa.REQUIRED)
                .mfaSecondFactor(MfaSecondFactor.builder().otp(true).sms(false).build())
                .passwordPolicy(PasswordPolicy.builder()
                        .minLength(14)
                        .requireLowercase(true)
                        .requireUppercase(true)
                        .requireDigits(true)
                        .requireSymbols(true)
                        .tempPasswordValidity(Duration.days(3))
                        .build())
                .accountRecovery(AccountRecovery.EMAIL_ONLY)
                .featurePlan(FeaturePlan.PLUS)
                .standardThreatProtectionMode(StandardThreatProtectionMode.FULL_FUNCTION)
                .deletionProtection(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        int precedence = 0;
        for (Map.Entry<String, List<String>> group : Services.BACK_OFFICE_GROUPS.entrySet()) {
            UserPoolGroup.Builder.create(this, "BackOfficeGroup" + Character.toUpperCase(group.getKey().charAt(0))
                            + group.getKey().substring(1))
                    .userPool(users)
                    .groupName(group.getKey())
                    .description("API roles: " + String.join(", ", group.getValue()))
                    .precedence(precedence++)
                    .build();
        }
        domain = users.addDomain("BackOfficeSignIn", UserPoolDomainOptions.builder()
                .cognitoDomain(CognitoDomainOptions.builder()
                        .domainPrefix(props.authDomainPrefix() != null ? props.authDomainPrefix()
                                : "licensing-" + Stack.of(this).getAccount())
                        .build())
                .managedLoginVersion(ManagedLoginVersion.CLASSIC_HOSTED_UI)
                .build());
        client = users.addClient("BackOfficeClient", UserPoolClientOptions.builder()
                .userPoolClientName(Services.BACK_OFFICE)
                .generateSecret(true)
                .authFlows(AuthFlow.builder().user(false).userSrp(false).userPassword(false).adminUserPassword(false)
                        .custom(false).build())
                .oAuth(OAuthSettings.builder()
                        .flows(OAuthFlows.builder().authorizationCodeGrant(true).implicitCodeGrant(false)
                                .clientCredentials(false).build())
                        .scopes(List.of(OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE))
                        .callbackUrls(props.backOfficeCallbackUrls())
                        .logoutUrls(props.backOfficeLogoutUrls())
                        .build())
                .supportedIdentityProviders(List.of(UserPoolClientIdentityProvider.COGNITO))
                .preventUserExistenceErrors(true)
                .enableTokenRevocation(true)
                .accessTokenValidity(Duration.minutes(15))
                .idTokenValidity(Duration.minutes(15))
                .refreshTokenValidity(Duration.hours(10))
                .build());
    }

    UserPool users() { return users; }
    UserPoolClient client() { return client; }
    UserPoolDomain domain() { return domain; }

    /**
     * The {@code iss} of the user pool's tokens, also its OpenID discovery base. (The pool's ProviderURL attribute is
     * the same without the scheme.)
     */
    String issuer() {
        Stack stack = Stack.of(this);
        return "https://cognito-idp." + stack.getRegion() + "." + stack.getUrlSuffix() + "/" + users.getUserPoolId();
    }
}
