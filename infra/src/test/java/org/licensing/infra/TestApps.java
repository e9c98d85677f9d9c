package org.licensing.infra;

import java.util.LinkedHashMap;
import java.util.Map;

import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/**
 * The app as the tests synthesize it: every required context key set to a value of the right shape (a fake
 * certificate ARN, a VPN range that is not the VPC, and so on), as an operator passes them with {@code -c}.
 */
final class TestApps {

    static final String PORTAL_CLIENT_CIDR = "10.60.0.0/16";
    static final String PORTAL_CERTIFICATE_ARN =
            "arn:aws:acm:eu-west-1:123456789012:certificate/0f0e0d0c-0b0a-4908-8706-050403020100";
    static final String CLUSTER_ADMIN_ARN = "arn:aws:iam::123456789012:role/PlatformAdmins";
    static final String SENDER_DOMAIN = "mail.licensing-vendor.net";
    static final String SENDER_ADDRESS = "renewals@mail.licensing-vendor.net";
    static final String FINANCE_EMAIL = "finance@licensing-vendor.net";
    static final String JWT_ISSUER = "https://login.licensing-vendor.net/realms/licensing";
    static final String ALARM_EMAIL = "oncall@licensing-vendor.net";
    static final String BACK_OFFICE_HOST = "backoffice.licensing-vendor.net";
    static final String BACK_OFFICE_CALLBACK = "https://" + BACK_OFFICE_HOST + "/auth/callback";
    static final String BACK_OFFICE_LOGOUT = "https://" + BACK_OFFICE_HOST + "/signed-out";

    private static LicensingStack synthesized;
    private static software.amazon.awscdk.assertions.Template template;

    private TestApps() {
    }

    /**
     * The app's stack with the required context, synthesized once per test JVM for the classes that only read it
     * (a synthesis takes 5-30 s here). CdkNagTest synthesizes its own: it adds an aspect before synthesis.
     */
    static synchronized LicensingStack stack() {
        if (synthesized == null) {
            synthesized = LicensingApp.createStack(app());
            template = software.amazon.awscdk.assertions.Template.fromStack(synthesized);
        }
        return synthesized;
    }

    static synchronized software.amazon.awscdk.assertions.Template template() {
        stack();
        return template;
    }

    static Map<String, Object> requiredContext() {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("clusterAdminPrincipalArn", CLUSTER_ADMIN_ARN);
        context.put("portalClientCidr", PORTAL_CLIENT_CIDR);
        context.put("portalCertificateArn", PORTAL_CERTIFICATE_ARN);
        context.put("senderDomain", SENDER_DOMAIN);
        context.put("senderAddress", SENDER_ADDRESS);
        context.put("vendorFinanceEmail", FINANCE_EMAIL);
        context.put("alarmEmail", ALARM_EMAIL);
        context.put("backOfficeCallbackUrls", BACK_OFFICE_CALLBACK);
        context.put("backOfficeLogoutUrls", BACK_OFFICE_LOGOUT);
        return context;
    }

    static App app() {
        return new App(AppProps.builder().context(requiredContext()).build());
    }

    /** Props with every required value set, for tests that change one setting. */
    static LicensingStackProps.Builder props() {
        return LicensingStackProps.builder()
                .clusterAdminPrincipalArn(CLUSTER_ADMIN_ARN)
                .portalClientCidr(PORTAL_CLIENT_CIDR)
                .portalCertificateArn(PORTAL_CERTIFICATE_ARN)
                .senderDomain(SENDER_DOMAIN)
                .senderAddress(SENDER_ADDRESS)
                .vendorFinanceEmail(FINANCE_EMAIL)
                .alarmEmail(ALARM_EMAIL)
                .backOfficeCallbackUrls(java.util.List.of(BACK_OFFICE_CALLBACK))
                .backOfficeLogoutUrls(java.util.List.of(BACK_OFFICE_LOGOUT));
    }
}
