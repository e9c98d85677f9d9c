package org.licensing.relay.engine;

import java.util.UUID;

/** No live lease with that id for that node (never granted, released, ended, or another node's). */
public final class LeaseNotFoundException extends RuntimeException {

    public LeaseNotFoundException(UUID id) {
        super("No live lease " + id + " for this node: it was released or ended, or never granted; request a new"
                + " lease", null, false, false);
    }
}
