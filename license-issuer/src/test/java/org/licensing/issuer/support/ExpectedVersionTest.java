package org.licensing.issuer.support;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import io.quarkiverse.resteasy.problem.HttpProblem;

/** The version a change is based on, from the body and/or If-Match. */
class ExpectedVersionTest {

    @Test
    void expectedVersionFromBodyOrIfMatch() {
        assertNull(ExpectedVersion.of(null, null));
        assertEquals(3L, ExpectedVersion.of(3L, null));
        assertEquals(3L, ExpectedVersion.of(null, "\"3\""));
        assertEquals(3L, ExpectedVersion.of(null, "W/\"3\""));
        assertEquals(3L, ExpectedVersion.of(null, "3"));
        assertEquals(3L, ExpectedVersion.of(3L, "\"3\""));
        assertThrows(HttpProblem.class, () -> ExpectedVersion.of(2L, "\"3\""));
        assertThrows(HttpProblem.class, () -> ExpectedVersion.of(null, "banana"));
        assertThrows(HttpProblem.class, () -> ExpectedVersion.of(null, "\"-1\""));
    }
}
