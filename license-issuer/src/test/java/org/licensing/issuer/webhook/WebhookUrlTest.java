package org.licensing.issuer.webhook;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import io.quarkiverse.resteasy.problem.HttpProblem;

class WebhookUrlTest {

    @Test
    void httpsOnlyUnlessTheOperatorAllowsHttp() {
        WebhookUrl u = WebhookUrl.parse("https://crm.example/hooks?x=1", false);
        assertEquals("crm.example", u.host());
        assertEquals(443, u.port());
        assertEquals("/hooks?x=1", u.pathAndQuery());
        assertThrows(HttpProblem.class, () -> WebhookUrl.parse("http://crm.example/hooks", false));
        assertEquals(80, WebhookUrl.parse("http://crm.example", true).port());
        assertEquals("::1", WebhookUrl.parse("https://[::1]:8443/x", false).host());
        for (String bad : new String[] {"crm.example/hooks", "https://u:p@crm.example/", "https://crm.example/#f",
            "https:///nohost", "javascript:alert(1)", "https://" + "a".repeat(2050)}) {
            assertThrows(HttpProblem.class, () -> WebhookUrl.parse(bad, true), bad);
        }
    }
}
