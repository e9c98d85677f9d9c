package org.licensing.notification.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.licensing.store.LicenseTable;
import org.licensing.testsupport.LocalBackends;

import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/** The send ledger's claim/lease rules against dynalite, with explicit times instead of a clock. */
class SendLedgerStoreTest {

    static DynamoDbAsyncClient dynamo;
    static SendLedgerStore ledger;
    static final Duration LEASE = Duration.ofMinutes(5);
    static final Instant T0 = Instant.parse("2030-01-01T06:00:00Z");

    @BeforeAll
    static void start() {
        dynamo = DynamoDbAsyncClient.builder().endpointOverride(LocalBackends.shared().dynamoDbEndpoint())
                .region(Region.of(LocalBackends.REGION)).credentialsProvider(LocalBackends.credentials())
                .httpClient(NettyNioAsyncHttpClient.create()).build();
        ledger = new SendLedgerStore(dynamo, LicenseTable.DEFAULT_NAME);
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    static String key() {
        return "REMINDER#" + UUID.randomUUID() + "#2030-02-01#30";
    }

    @Test
    void oneClaimAtATimeThenSentForever() {
        String key = key();
        assertEquals(ClaimResult.CLAIMED, ledger.claim(key, "a", T0, LEASE).result());
        SendClaim other = ledger.claim(key, "b", T0.plusSeconds(10), LEASE);
        assertEquals(ClaimResult.BUSY, other.result());
        assertEquals(T0.plus(LEASE), other.leaseUntil());

        assertTrue(ledger.markSent(key, "a", T0.plusSeconds(20), "ses-1", List.of("ap@acme.example")));
        assertEquals(ClaimResult.ALREADY_SENT, ledger.claim(key, "b", T0.plusSeconds(30), LEASE).result());
        assertEquals(ClaimResult.ALREADY_SENT,
                ledger.claim(key, "c", T0.plus(Duration.ofDays(2)), LEASE).result(), "even after the lease");
        assertEquals(SendLedgerStore.SENT, ledger.state(key));
    }

    @Test
    void aCrashedSendersClaimIsTakenOverAfterItsLease() {
        String key = key();
        ledger.claim(key, "crashed", T0, LEASE);
        assertEquals(ClaimResult.BUSY, ledger.claim(key, "b", T0.plus(LEASE).minusMillis(1), LEASE).result());
        assertEquals(ClaimResult.CLAIMED, ledger.claim(key, "b", T0.plus(LEASE).plusMillis(1), LEASE).result());

        // The crashed sender comes back late: it cannot mark (it lost the claim) but still records SENT.
        assertFalse(ledger.markSent(key, "crashed", T0.plus(LEASE).plusSeconds(2), "ses-late",
                List.of("ap@acme.example")));
        assertEquals(SendLedgerStore.SENT, ledger.state(key));
        assertEquals(ClaimResult.ALREADY_SENT, ledger.claim(key, "d", T0.plus(LEASE).plusSeconds(3), LEASE)
                .result());
    }

    @Test
    void aReleasedClaimCanBeTakenAtOnce() {
        String key = key();
        ledger.claim(key, "a", T0, LEASE);
        ledger.release(key, "someone-else");
        assertEquals(ClaimResult.BUSY, ledger.claim(key, "b", T0.plusSeconds(1), LEASE).result());
        ledger.release(key, "a");
        assertEquals(ClaimResult.CLAIMED, ledger.claim(key, "b", T0.plusSeconds(2), LEASE).result());
        assertEquals(SendLedgerStore.PENDING, ledger.state(key));
    }
}
