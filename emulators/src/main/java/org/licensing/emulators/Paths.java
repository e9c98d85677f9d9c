package org.licensing.emulators;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the checkout's root, so every module's tests (and the local runner) share the emulators installed in emulators/node_modules. */
public final class Paths {

    private Paths() {
    }

    public static Path root() {
        String configured = System.getProperty("harness.root");
        if (configured != null && !configured.isBlank() && isRoot(Path.of(configured))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (isRoot(dir)) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the checkout root (a folder with emulators/package.json) "
                + "from " + Path.of("").toAbsolutePath() + "; set -Dharness.root");
    }

    public static Path nodeModules() {
        return root().resolve("emulators").resolve("node_modules");
    }

    /** Logs and data of the local back ends: under target/, so `mvn clean` removes them. */
    public static Path workDir() {
        return root().resolve("target").resolve("local-backends");
    }

    private static boolean isRoot(Path dir) {
        return Files.isRegularFile(dir.resolve("emulators").resolve("package.json"));
    }
}
