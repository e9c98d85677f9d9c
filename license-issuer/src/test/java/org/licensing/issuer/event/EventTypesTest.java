package org.licensing.issuer.event;

import static org.junit.jupiter.api.Assertions.*;
import static org.licensing.issuer.readmodel.ReadModelFixtures.rows;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.licensing.issuer.audit.AuditAction;
import org.licensing.issuer.audit.AuditTarget;
import org.licensing.testsupport.ServiceTest;

/**
 * The outbox trigger (event_type_of in V8) and {@link EventType} name the same type for every audit action, so the
 * feed's type filter and webhook subscriptions know every type the database publishes.
 */
@ServiceTest
class EventTypesTest {

    @Test
    void theTriggerAndTheJavaListMapEveryAuditActionAlike() {
        for (AuditAction action : AuditAction.values()) {
            String inDatabase = rows("SELECT event_type_of(?) AS t", action.name()).get(0).get("t");
            assertEquals(EventType.of(action).map(EventType::wireName).orElse(null), inDatabase, action.name());
        }
        Set<AuditAction> mapped = Arrays.stream(EventType.values()).map(EventType::action)
                .filter(java.util.Objects::nonNull).collect(Collectors.toSet()); // imported types have no action
        // every audit action publishes an event, but those of webhook endpoints (the delivery's own configuration)
        Set<AuditAction> published = Arrays.stream(AuditAction.values())
                .filter(a -> a.target() != AuditTarget.WEBHOOK_ENDPOINT).collect(Collectors.toSet());
        assertEquals(published, mapped, "every audit action but the webhook endpoints' publishes an event");
    }
}
