package org.licensing.issuer.openapi;

/**
 * Every example of this service's OpenAPI document, in one place: the annotations reference these constants, so the
 * resources and bodies carry no JSON of their own. Keep them valid against their schemas (the Redocly lint checks).
 */
public final class Examples {

    // --- Catalog ---

    public static final String CREATE_CUSTOMER = """
            {"name": "Acme GPU Cloud", "externalId": "crm-0042"}""";

    public static final String UPDATE_CUSTOMER = """
            {"name": "Acme GPU Cloud GmbH", "status": "INACTIVE", "expectedVersion": 1, "reason": "ticket 4711"}""";

    public static final String CREATE_CONTACT = """
            {"email": "ap@acme.example", "name": "Accounts Payable", "role": "FINANCE"}""";

    public static final String CREATE_PRODUCT = """
            {"code": "gpu-cluster", "name": "GPU Cluster Manager"}""";

    public static final String CREATE_POLICY = """
            {"productCode": "gpu-cluster", "name": "Standard annual", "durationDays": 365, "graceDays": 14,
             "maxActivations": 3, "maxDeactivationsPerDay": 5,
             "entitlements": {"features": {"sso": true}, "limits": {"cuda.device": 8, "cuda.shares": 16, "nodes": 4}}}""";

    public static final String ENTITLEMENTS = """
            {"features": {"sso": true, "audit-export": false}, "limits": {"cuda.device": 8, "cuda.shares": 16, "nodes": 4}}""";

    // --- Licenses ---

    public static final String ISSUE_LICENSE_REQUEST = """
            {"customerId": "3f0f6f7e-5a47-4f0e-9a43-0d3f2f1f9b10", "policyId": "9d7c2c0e-7a1b-4c55-8f0e-2b6a1d3c4e5f",
             "durationDays": 365, "entitlements": {"limits": {"cuda.device": 16, "cuda.shares": 32.5}}}""";

    public static final String RENEW_LICENSE_REQUEST = """
            {"expectedVersion": 1, "extendDays": 365, "reason": "PO 4711 paid",
             "entitlements": {"features": {"sso": true}, "limits": {"cuda.device": 32, "mem": 549755813888}}}""";

    public static final String CHANGE_LICENSE_REQUEST = """
            {"expectedVersion": 2, "reason": "payment overdue"}""";

    public static final String LICENSE = """
            {"licenseId": "0b8e7f7a-3c1d-4d2e-9f10-6a5b4c3d2e1f", "licenseKey": "LK1-0BGQY-...",
             "customerId": "3f0f6f7e-5a47-4f0e-9a43-0d3f2f1f9b10", "customerName": "Acme GPU Cloud",
             "productCode": "gpu-cluster", "productName": "GPU Cluster Manager",
             "policyId": "9d7c2c0e-7a1b-4c55-8f0e-2b6a1d3c4e5f", "status": "ACTIVE",
             "issuedAt": "2026-01-01T00:00:00Z", "notBefore": "2026-01-01T00:00:00Z",
             "expiresAt": "2027-01-01T00:00:00Z", "graceDays": 14, "maxActivations": 3, "heartbeatHours": 0,
             "maxDeactivationsPerDay": 5, "overagePercent": 0,
             "entitlements": {"features": {"sso": true}, "limits": {"cuda.device": 16, "cuda.shares": 32.5, "nodes": 4}},
             "activations": 0, "version": 1, "updatedAt": "2026-01-01T00:00:00Z"}""";

    // --- Checkouts ---
    public static final String CHECKOUT_BODY = """
            {"request": {"typ": "licensing.checkout-request.v1", "license_id": "0b8e7f7a-3c1d-4d2e-9f10-6a5b4c3d2e1f",
             "product": "gpu-cluster", "fingerprint": "k8s-5f2b...e1", "created_at": "2026-12-07T10:00:00Z",
             "label": "dgx-a"}, "durationDays": 30, "reason": "site A, ticket 4711"}""";

    public static final String ISSUED_CHECKOUT = """
            {"licenseId": "0b8e7f7a-3c1d-4d2e-9f10-6a5b4c3d2e1f", "checkoutId": "6c1d8e2a-...",
             "fingerprint": "k8s-5f2b...e1", "sequence": 7, "issuedAt": "2026-12-07T10:05:00Z",
             "until": "2027-01-06T10:05:00Z", "kid": "issuer-2026", "fileName": "0b8e7f7a-...-7.checkout",
             "file": "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIi..."}""";

    public static final String CHECKOUT_RETURN_BODY = """
            {"returnFile": {"typ": "licensing.checkout-return.v1",
             "license_id": "0b8e7f7a-3c1d-4d2e-9f10-6a5b4c3d2e1f", "checkout_id": "6c1d8e2a-...",
             "fingerprint": "k8s-5f2b...e1", "seq": 7, "returned_at": "2026-12-20T09:00:00Z", "mac": "q3Xr..."}}""";

    public static final String LICENSE_SUMMARY = """
            {"licenseId": "0b8e7f7a-3c1d-4d2e-9f10-6a5b4c3d2e1f",
             "customerId": "3f0f6f7e-5a47-4f0e-9a43-0d3f2f1f9b10", "customerName": "Acme GPU Cloud",
             "customerExternalId": "crm-0042", "productCode": "gpu-cluster", "productName": "GPU Cluster Manager",
             "policyId": "9d7c2c0e-7a1b-4c55-8f0e-2b6a1d3c4e5f", "status": "ACTIVE",
             "issuedAt": "2026-01-01T00:00:00Z", "notBefore": "2026-01-01T00:00:00Z",
             "expiresAt": "2027-01-01T00:00:00Z", "graceDays": 14,
             "entitlements": {"features": {"sso": true}, "limits": {"cuda.device": 16, "cuda.shares": 32.5}},
             "version": 2, "updatedAt": "2026-03-01T00:00:00Z"}""";

    public static final String LICENSE_STATS = """
            {"byStatus": {"ACTIVE": 1480, "SUSPENDED": 12, "REVOKED": 31}, "byProduct": {"gpu-cluster": 1523},
             "expiringWithin": {"7": 4, "30": 41, "60": 77, "90": 130},
             "expiringByQuarter": {"2026-Q4": 98, "2027-Q1": 140}}""";

    public static final String LICENSE_STATUS_HISTORY = """
            {"months": [
              {"month": "2026-10", "at": "2026-10-31T23:59:59Z",
               "counts": {"ACTIVE": 1402, "SUSPENDED": 9, "REVOKED": 25}},
              {"month": "2026-11", "at": "2026-11-30T23:59:59Z",
               "counts": {"ACTIVE": 1455, "SUSPENDED": 14, "REVOKED": 28}},
              {"month": "2026-12", "at": "2026-12-08T04:40:00Z",
               "counts": {"ACTIVE": 1480, "SUSPENDED": 12, "REVOKED": 31}}]}""";

    public static final String LICENSES_CSV = """
            licenseId,customerId,customerName,customerExternalId,productCode,policyId,status,issuedAt,notBefore,\
            expiresAt,graceDays,limits,features
            "0b8e7f7a-3c1d-4d2e-9f10-6a5b4c3d2e1f","3f0f6f7e-5a47-4f0e-9a43-0d3f2f1f9b10","Acme, GPU Cloud","crm-0042",\
            "gpu-cluster","9d7c2c0e-7a1b-4c55-8f0e-2b6a1d3c4e5f","ACTIVE","2026-01-01T00:00:00Z",\
            "2026-01-01T00:00:00Z","2027-01-01T00:00:00Z",14,"cuda.device=16;cuda.shares=32.5","sso=true"
            """;

    public static final String RECONCILE_RUN = """
            {"examined": 3, "committed": 2, "failed": 1, "skipped": 0, "errors": 0, "olderThan": "PT2M"}""";

    public static final String REBUILD = """
            {"id": "5b1f0c2e-8d3a-4c1e-9b7f-2a6d4e8c0f13", "state": "RUNNING", "startedAt": "2026-01-01T09:00:00Z",
             "updatedAt": "2026-01-01T09:00:04Z", "pages": 12, "licenses": 2400}""";

    /** A relay's usage report as it hands it in: its compact JWS text (shortened). */
    public static final String USAGE_REPORT_JWS = "eyJraWQiOiJyZWxheS0yMDI2MTIwMS0wYmFkY2FmZSIsInR5cCI6InVzYWdlLXJlcG9ydCtqd3QiLC"
            + "JhbGciOiJFZERTQSJ9.eyJsaWNlbnNlX2lkIjoi...In0.3qv0...Bw";

    public static final String USAGE_REPORT = """
            {"licenseId": "0b8e7f7a-3c1d-4d2e-9f10-6a5b4c3d2e1f", "reportId": "9a3e1c55-2b7d-4f0e-8c1a-5d6e7f809a1b",
             "sequence": 3, "relayKid": "relay-20261201-0badcafe", "fingerprint": "k8s-5f2b...e1",
             "checkoutId": "6c1d8e2a-4b3f-4e5d-9a8b-7c6d5e4f3a2b", "from": "2026-12-06T00:00:00Z",
             "to": "2026-12-07T00:00:00Z", "madeAt": "2026-12-07T00:00:05Z", "receivedAt": "2026-12-08T09:30:00Z",
             "receivedBy": "dana", "reportHash": "5e8f...c2", "previousHash": "a41b...07",
             "totals": {"cuda.device": "576000", "cuda.shares": "13500.5", "nodes": "172800"},
             "peak": {"cuda.device": "8", "cuda.shares": "2.5", "nodes": "2"}}""";

    public static final String USAGE_REPORTS = """
            {"licenseId": "0b8e7f7a-3c1d-4d2e-9f10-6a5b4c3d2e1f",
             "chains": [{"relayKid": "relay-20261201-0badcafe",
               "relayThumbprint": "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", "fingerprint": "k8s-5f2b...e1",
               "lastSequence": 3, "lastReportHash": "5e8f...c2",
               "coveredUntil": "2026-12-07T00:00:00Z", "nextSequence": 4, "nextPreviousReport": "5e8f...c2",
               "nextFrom": "2026-12-07T00:00:00Z"}],
             "reports": []}""";

    public static final String LICENSE_USAGE = """
            {"licenseId": "0b8e7f7a-3c1d-4d2e-9f10-6a5b4c3d2e1f", "from": "2026-12-06", "to": "2026-12-07",
             "quantities": [{"quantity": "cuda.device", "limit": "8", "quantitySeconds": "1036800",
               "days": [{"day": "2026-12-06", "quantitySeconds": "460800", "averageInUse": "5.333333"},
                        {"day": "2026-12-07", "quantitySeconds": "576000", "averageInUse": "6.666667"}]}]}""";

    public static final String USAGE_REPORT_GAP_PROBLEM = """
            {"type": "https://licensing.dev/problems/usage-report-gap", "title": "Usage report leaves a gap",
             "status": 409, "detail": "Report 4 starts at 2026-12-08T00:00:00Z, after report 3 ended\
             (2026-12-07T00:00:00Z): the time between is reported nowhere", "expectedSequence": 4,
             "expectedFrom": "2026-12-07T00:00:00Z"}""";
    // --- Events ---

    public static final String EVENT = """
            {"id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "type": "license.suspended",
             "timestamp": "2026-12-07T10:00:00Z", "sequence": 1042,
             "subject": {"type": "license", "id": "0b8e7f7a-3c1d-4d2e-9f10-6a5b4c3d2e1f"},
             "licenseId": "0b8e7f7a-3c1d-4d2e-9f10-6a5b4c3d2e1f", "customerId": "3f0f6f7e-5a47-4f0e-9a43-0d3f2f1f9b10",
             "data": {"licenseId": "0b8e7f7a-3c1d-4d2e-9f10-6a5b4c3d2e1f",
                      "customerId": "3f0f6f7e-5a47-4f0e-9a43-0d3f2f1f9b10", "customerName": "Acme GPU Cloud",
                      "productCode": "gpu-cluster", "status": "SUSPENDED", "expiresAt": "2027-01-01T00:00:00Z",
                      "version": 3, "updatedAt": "2026-12-07T10:00:00Z"}}""";

    public static final String EVENT_PAGE = "{\"items\": [" + EVENT + "], \"nextCursor\": \"1042\"}";

    // --- Webhooks ---

    public static final String CREATE_WEBHOOK_ENDPOINT = """
            {"url": "https://crm.vendor.example/hooks/licensing", "description": "CRM",
             "eventTypes": ["license.issued", "license.renewed", "license.revoked"]}""";

    public static final String UPDATE_WEBHOOK_ENDPOINT = """
            {"enabled": true}""";

    public static final String WEBHOOK_ENDPOINT = """
            {"id": "2d8f3c1a-6b7e-4f5a-9c0d-1e2f3a4b5c6d", "url": "https://crm.vendor.example/hooks/licensing",
             "description": "CRM", "eventTypes": ["license.issued", "license.renewed", "license.revoked"],
             "enabled": true, "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
             "createdAt": "2026-12-07T10:00:00Z", "updatedAt": "2026-12-07T10:00:00Z"}""";

    public static final String WEBHOOK_DELIVERIES = """
            [{"id": 812, "eventId": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "eventType": "license.suspended",
              "eventSequence": 1042, "state": "PENDING", "attempts": 3, "createdAt": "2026-12-07T10:00:00Z",
              "nextAttemptAt": "2026-12-07T10:01:10Z", "lastAttemptAt": "2026-12-07T10:00:31Z", "lastStatus": 503,
              "lastLatencyMs": 84},
             {"id": 811, "eventId": "0f3e5a1c-2b4d-4e6f-8a9b-0c1d2e3f4a5b", "eventType": "license.issued",
              "eventSequence": 1041, "state": "DELIVERED", "attempts": 1, "createdAt": "2026-12-07T09:59:00Z",
              "lastAttemptAt": "2026-12-07T09:59:01Z", "lastStatus": 204, "lastLatencyMs": 37,
              "finishedAt": "2026-12-07T09:59:01Z"}]""";

    public static final String WEBHOOK_REPLAY = """
            {"since": "2026-12-07T00:00:00Z", "until": "2026-12-08T00:00:00Z"}""";

    /** A query parameter example: an ISO-8601 UTC instant. */
    public static final String INSTANT = "2027-01-01T00:00:00Z";

    // --- Problems ---

    public static final String STALE_VERSION_PROBLEM = """
            {"type": "https://licensing.dev/problems/stale-version", "title": "Stale version", "status": 409,
             "detail": "License 0b8e7f7a-3c1d-4d2e-9f10-6a5b4c3d2e1f was changed by someone else; read it again and\
             retry with its version"}""";

    private Examples() {
    }
}
