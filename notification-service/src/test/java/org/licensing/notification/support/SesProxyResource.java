package org.licensing.notification.support;

import java.util.HashMap;
import java.util.Map;

import org.licensing.testsupport.Backend;
import org.licensing.testsupport.LocalBackends;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts the SES emulator (through test-support) and points the service's SES client at {@link SesProxy}. */
public class SesProxyResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(LocalBackends.shared().start(java.util.EnumSet.of(Backend.SES)));
        config.put("licensing.ses.endpoint-override", SesProxy.shared().endpoint().toString());
        return config;
    }

    @Override
    public void stop() {
    }
}
