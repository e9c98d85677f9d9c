package org.licensing.backoffice;

import org.licensing.testsupport.architecture.ServiceArchitectureTest;

/** The back office's code against the rules every service keeps (test-support's ArchitectureRules). */
class ArchitectureTest extends ServiceArchitectureTest {

    ArchitectureTest() {
        super("org.licensing.backoffice");
    }
}
