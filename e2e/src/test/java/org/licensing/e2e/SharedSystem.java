package org.licensing.e2e;

/**
 * One started system per test JVM, shared by the e2e classes instead of one start per class (each start is the back
 * ends plus three service JVMs: 10-30 s here). Two kinds: the APIs on TestTokens (most classes) and the APIs with
 * Keycloak and the back office (AirGappedRelayStoryIT, BackOfficeBrowserIT); asking for the other kind stops the
 * running one first. Failsafe runs the classes in alphabetical order, and those two are named to come first, so a whole
 * run starts the back-office kind once and switches once, to the API classes. Stopped when the JVM exits.
 *
 * <p>Tests that stop or kill a service leave it to this holder: every {@code get} starts what is down again.
 */
final class SharedSystem {

    private enum Kind { APIS, BACK_OFFICE }

    private static LocalSystem current;
    private static Kind kind;
    private static boolean hooked;

    private SharedSystem() {
    }

    /** The issuer, validator and notification service; tokens from TestTokens. */
    static LocalSystem apis() {
        return get(Kind.APIS);
    }

    /** The APIs trusting Keycloak, plus Keycloak and the back office. */
    static LocalSystem backOffice() {
        return get(Kind.BACK_OFFICE);
    }

    private static synchronized LocalSystem get(Kind wanted) {
        if (current != null && kind != wanted) {
            current.close();
            current = null;
        }
        if (current == null) {
            long t0 = System.nanoTime();
            current = LocalSystem.start(new LocalSystem.Options().backOffice(wanted == Kind.BACK_OFFICE));
            kind = wanted;
            System.out.printf("shared system (%s) started in %d ms%n", wanted, (System.nanoTime() - t0) / 1_000_000);
            if (!hooked) {
                Runtime.getRuntime().addShutdownHook(new Thread(SharedSystem::stop, "shared-system-stop"));
                hooked = true;
            }
        }
        current.ensureRunning();
        return current;
    }

    private static synchronized void stop() {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
