package org.licensing.issuer.support;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The one id rule: canonical 8-4-4-4-12 hex, either case, read as the lower-case UUID. */
class IdsTest {

    private static final String ID = "0b8e7f7a-3c1d-4d2e-9f10-6a5b4c3d2e1f";

    @Test
    void canonicalUuidsInEitherCase() {
        assertEquals(Optional.of(UUID.fromString(ID)), Ids.parseUuid(ID));
        assertEquals(Optional.of(UUID.fromString(ID)), Ids.parseUuid(ID.toUpperCase(java.util.Locale.ROOT)));
        assertEquals(ID, Ids.parseUuid("0B8E7F7A-3c1d-4D2E-9f10-6A5B4C3D2E1F").orElseThrow().toString());
    }

    @Test
    void anythingElseIsNoId() {
        for (String bad : new String[] {null, "", "not-a-uuid", "1-1-1-1-1", ID + "0", ID.substring(1),
            "{" + ID.substring(1, 35) + "}", "urn:uuid:" + ID, ID.replace('-', '_'), ID.replace("0b8e", "0b8g"),
            ID.replace("0b8e", "0b8\u0665"), ID.replace("0b8e", "0b8\uff45"), " " + ID.substring(1)}) {
            assertEquals(Optional.empty(), Ids.parseUuid(bad), String.valueOf(bad));
        }
    }
}
