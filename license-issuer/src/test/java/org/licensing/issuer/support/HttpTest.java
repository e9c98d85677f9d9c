package org.licensing.issuer.support;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import io.quarkiverse.resteasy.problem.HttpProblem;

class HttpTest {

    @Test
    void expectedVersionFromBodyOrIfMatch() {
        assertNull(Http.expectedVersion(null, null));
        assertEquals(3L, Http.expectedVersion(3L, null));
        assertEquals(3L, Http.expectedVersion(null, "\"3\""));
        assertEquals(3L, Http.expectedVersion(null, "W/\"3\""));
        assertEquals(3L, Http.expectedVersion(null, "3"));
        assertEquals(3L, Http.expectedVersion(3L, "\"3\""));
        assertThrows(HttpProblem.class, () -> Http.expectedVersion(2L, "\"3\""));
        assertThrows(HttpProblem.class, () -> Http.expectedVersion(null, "banana"));
        assertThrows(HttpProblem.class, () -> Http.expectedVersion(null, "\"-1\""));
    }
}
