package org.licensing.notification;

import org.licensing.testsupport.architecture.ServiceArchitectureTest;

/** This service's code against the rules every service keeps (test-support's ArchitectureRules). */
class ArchitectureTest extends ServiceArchitectureTest {

    ArchitectureTest() {
        super("org.licensing.notification");
    }
}
